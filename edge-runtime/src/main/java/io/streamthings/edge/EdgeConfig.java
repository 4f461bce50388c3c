package io.streamthings.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.streamthings.rules.engine.TimeMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The edge runtime's configuration: read once at start from a YAML file and/or the command line (the command line
 * wins), checked, then read-only. Every option has a default that works but for the four that say who the device is.
 *
 * @param server the platform's MQTT address, {@code tcp://host:1883} (required)
 * @param deviceId the device (required)
 * @param tenant its tenant ({@code default})
 * @param token its device token (required)
 * @param deviceType stamped on the records the rules see ({@code edge})
 * @param dataDir queue, deployed rules and source positions ({@code ./edge-data})
 * @param sources {@code stdin}, {@code file:<path>}, {@code http:<port>} or {@code http:<host>:<port>},
 *     {@code simulated} or {@code simulated:<readings per second>} ({@code [stdin]})
 * @param healthIntervalMs how often the health report goes up ({@code 10000})
 * @param queueMaxBytes bound of the store-and-forward queue in bytes ({@code 67108864}, 64 MiB)
 * @param queueMaxAgeMs bound of its age: older records are dropped ({@code 604800000}, 7 days)
 * @param segmentBytes size of one queue file ({@code 4194304})
 * @param fsync {@code always}: an append is on disk before the runtime goes on; {@code never}: the OS decides
 *     ({@code always})
 * @param downsampleMs send the mean of each metric every this many ms as telemetry; 0 sends none ({@code 0})
 * @param timeMode {@code live} (wall clock, the default) or {@code playback} (the records' ts)
 * @param maxBatchRecords records per MQTT message at most ({@code 500})
 * @param publishTimeoutMs how long a publish waits for its PUBACK before the connection is dropped and made again
 *     ({@code 10000})
 * @param keepAliveSeconds MQTT keep-alive ({@code 10})
 */
public record EdgeConfig(String server, String deviceId, String tenant, String token, String deviceType, Path dataDir,
        List<String> sources, long healthIntervalMs, long queueMaxBytes, long queueMaxAgeMs, long segmentBytes,
        boolean fsync, long downsampleMs, TimeMode timeMode, int maxBatchRecords, long publishTimeoutMs,
        int keepAliveSeconds) {

    /** The option names, as YAML keys ({@code deviceId}) and flags ({@code --device-id}). */
    static final List<String> KEYS = List.of("server", "deviceId", "tenant", "token", "deviceType", "dataDir",
            "sources", "healthIntervalMs", "queueMaxBytes", "queueMaxAgeMs", "segmentBytes", "fsync", "downsampleMs",
            "timeMode", "maxBatchRecords", "publishTimeoutMs", "keepAliveSeconds");

    public EdgeConfig {
        sources = List.copyOf(sources);
    }

    /** The MQTT user name: {@code deviceId@tenant}. */
    public String username() {
        return deviceId + "@" + tenant;
    }

    /**
     * Reads {@code --config file.yml} (if given) and then the other flags over it.
     *
     * @throws IllegalArgumentException with a message naming the option when an option is unknown, missing or bad
     */
    public static EdgeConfig parse(String[] args) throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (!flag.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got " + flag);
            }
            String value = args[++i];
            if (flag.equals("--config")) {
                readYaml(Path.of(value), values);
                continue;
            }
            String key = camel(flag.substring(2));
            if (key.equals("source")) {
                sources.add(value);
            } else if (KEYS.contains(key)) {
                values.put(key, value);
            } else {
                throw new IllegalArgumentException("unknown option " + flag + "; known: " + KEYS);
            }
        }
        if (!sources.isEmpty()) {
            values.put("sources", sources);
        }
        return of(values);
    }

    private static void readYaml(Path file, Map<String, Object> values) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a mapping of options");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!KEYS.contains(e.getKey())) {
                throw new IllegalArgumentException(file + ": unknown option " + e.getKey() + "; known: " + KEYS);
            }
            if (e.getValue().isArray()) {
                List<String> list = new ArrayList<>();
                e.getValue().forEach(n -> list.add(n.asText()));
                values.put(e.getKey(), list);
            } else {
                values.put(e.getKey(), e.getValue().asText());
            }
        }
    }

    private static String camel(String dashed) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : dashed.toCharArray()) {
            if (c == '-') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    /** A configuration from option values (strings, and a list for sources), with the defaults for the rest. */
    @SuppressWarnings("unchecked")
    static EdgeConfig of(Map<String, Object> v) {
        String server = required(v, "server");
        if (!server.startsWith("tcp://") && !server.startsWith("ssl://")) {
            throw new IllegalArgumentException("server must be tcp://host:port or ssl://host:port: " + server);
        }
        Object sources = v.getOrDefault("sources", List.of("stdin"));
        List<String> sourceList = sources instanceof List<?> l ? (List<String>) l : List.of(sources.toString());
        for (String s : sourceList) {
            checkSource(s);
        }
        String mode = text(v, "timeMode", "live").toUpperCase(Locale.ROOT);
        if (!mode.equals("LIVE") && !mode.equals("PLAYBACK")) {
            throw new IllegalArgumentException("timeMode must be live or playback: " + mode.toLowerCase(Locale.ROOT));
        }
        String fsync = text(v, "fsync", "always");
        if (!fsync.equals("always") && !fsync.equals("never")) {
            throw new IllegalArgumentException("fsync must be always or never: " + fsync);
        }
        return new EdgeConfig(server, required(v, "deviceId"), text(v, "tenant", "default"), required(v, "token"),
                text(v, "deviceType", "edge"), Path.of(text(v, "dataDir", "edge-data")), sourceList,
                positive(v, "healthIntervalMs", 10_000), positive(v, "queueMaxBytes", 64L * 1024 * 1024),
                positive(v, "queueMaxAgeMs", 7L * 24 * 3600 * 1000), positive(v, "segmentBytes", 4L * 1024 * 1024),
                fsync.equals("always"), number(v, "downsampleMs", 0), TimeMode.valueOf(mode),
                (int) positive(v, "maxBatchRecords", 500), positive(v, "publishTimeoutMs", 10_000),
                (int) positive(v, "keepAliveSeconds", 10));
    }

    static void checkSource(String s) {
        if (s.equals("stdin") || s.equals("simulated")) {
            return;
        }
        if (s.startsWith("file:") && s.length() > 5) {
            return;
        }
        try {
            if (s.startsWith("simulated:")) {
                Double.parseDouble(s.substring(10));
                return;
            }
            if (s.startsWith("http:")) {
                Integer.parseInt(s.substring(s.lastIndexOf(':') + 1));
                return;
            }
        } catch (NumberFormatException e) {
            // falls through to the refusal
        }
        throw new IllegalArgumentException("source must be stdin, file:<path>, http:[<host>:]<port> or "
                + "simulated[:<per second>]: " + s);
    }

    private static String required(Map<String, Object> v, String key) {
        Object value = v.get(key);
        if (value == null || value.toString().isBlank()) {
            throw new IllegalArgumentException(key + " is required (--" + key.replaceAll("([A-Z])", "-$1")
                    .toLowerCase(Locale.ROOT) + " or " + key + ": in the config file)");
        }
        return value.toString();
    }

    private static String text(Map<String, Object> v, String key, String dflt) {
        Object value = v.get(key);
        return value == null ? dflt : value.toString();
    }

    private static long number(Map<String, Object> v, String key, long dflt) {
        Object value = v.get(key);
        if (value == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(value.toString());
            if (n < 0) {
                throw new IllegalArgumentException(key + " must not be negative: " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number: " + value);
        }
    }

    private static long positive(Map<String, Object> v, String key, long dflt) {
        long n = number(v, key, dflt);
        if (n <= 0) {
            throw new IllegalArgumentException(key + " must be positive: " + n);
        }
        return n;
    }
}
