package io.streamthings.simulator;

import io.streamthings.kafka.Flags;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * What to simulate, parsed from flags and checked before anything runs. Every count and duration is bounded, and the
 * targets must be on this machine (loopback): the simulator is a load generator, not a tool to point at others.
 *
 * @param apiUrl the REST API, e.g. {@code http://localhost:8080/api/v1}
 * @param mqttUri the MQTT broker, e.g. {@code tcp://localhost:1883}
 * @param adminUser user for the token endpoint (ignored when {@code token} is given)
 * @param adminPassword that user's password
 * @param token an access token with scope device:manage and device-type:manage, instead of a user and password
 * @param devices how many devices to enroll and simulate, 1..10,000
 * @param deviceType the device type to create (if missing) and enroll the devices as
 * @param idPrefix device ids are {@code <prefix>-<n>}
 * @param transport {@code mqtt} or {@code http}
 * @param ratePerSecond records per second over all devices, 0..1,000,000 (0: no telemetry, operations only)
 * @param durationSeconds how long to publish, 1..3,600
 * @param batchSize records per HTTP request (HTTP only), 1..10,000
 * @param anomalyProbability chance that a reading is an injected anomaly, 0..1
 * @param seed the random seed, so that a run can be repeated
 * @param tenant the devices' tenant as they name themselves ({@code deviceId@tenant}); null for the tenant
 *     {@code default}, where the bare id is enough
 * @param connectConcurrency MQTT handshakes at a time, 1..5,000
 * @param window QoS 1 messages a device may have unacknowledged, 1..1,000
 * @param progressSeconds seconds between progress lines, 1..3,600
 * @param operations whether the devices run the operations they receive
 * @param failShare share of the operations to end in ERROR, 0..1
 * @param rebootDowntimeMs how long a {@code reboot} keeps a device offline, 0..600,000
 * @param pollSeconds HTTP devices: seconds between pulls of pending operations, 1..3,600
 * @param group a group to put the devices in (created when missing), or null
 */
public record SimulatorConfig(URI apiUrl, URI mqttUri, String adminUser, String adminPassword, String token,
        int devices, String deviceType, String idPrefix, String transport, int ratePerSecond, int durationSeconds,
        int batchSize, double anomalyProbability, long seed, String tenant, int connectConcurrency, int window,
        int progressSeconds, boolean operations, double failShare, int rebootDowntimeMs, int pollSeconds,
        String group) {

    /** The flags and their defaults. */
    public static final String USAGE = """
            Usage: device-simulator [options]
              --api URL             REST API (default http://localhost:8080/api/v1)
              --mqtt URI            MQTT broker (default tcp://localhost:1883)
              --user NAME           admin user for the token endpoint (default admin)
              --password PW         its password (default: env STREAMTHINGS_ADMIN_PASSWORD)
              --token TOKEN         an access token instead of user and password
              --devices N           devices to enroll and simulate, 1..10000 (default 10)
              --type NAME           device type (default sim-sensor; created when missing)
              --prefix P            device ids are P-1, P-2... (default sim)
              --transport T         mqtt or http (default mqtt)
              --rate R              records per second over all devices, 0..1000000 (default 100; 0: operations only)
              --duration S          seconds to publish, 1..3600 (default 30)
              --batch B             records per HTTP request, 1..10000 (default 1)
              --anomalies P         probability of an injected anomaly per reading, 0..1 (default 0.002)
              --seed N              random seed (default 42)
              --tenant T            the devices name themselves id@T (default: bare ids, the tenant default)
              --connect-concurrency N  MQTT handshakes at a time, 1..5000 (default 200)
              --window N            unacknowledged QoS 1 messages per device, 1..1000 (default 100)
              --progress S          seconds between progress lines (default 5)
              --operations on|off   run the operations the devices receive (default on)
              --fail-share F        share of the operations to end in ERROR, 0..1 (default 0)
              --reboot-downtime MS  how long a reboot keeps a device offline (default 3000)
              --poll S              HTTP devices: seconds between pulls of pending operations (default 5)
              --group ID            put the devices in this group, created when missing""";

    public SimulatorConfig {
        requireLoopback(apiUrl, "--api");
        requireLoopback(mqttUri, "--mqtt");
        within(devices, 1, 10_000, "--devices");
        within(ratePerSecond, 0, 1_000_000, "--rate");
        within(rebootDowntimeMs, 0, 600_000, "--reboot-downtime");
        within(pollSeconds, 1, 3_600, "--poll");
        if (!(failShare >= 0 && failShare <= 1)) {
            throw new IllegalArgumentException("--fail-share must be between 0 and 1, got " + failShare);
        }
        within(durationSeconds, 1, 3_600, "--duration");
        within(batchSize, 1, 10_000, "--batch");
        within(connectConcurrency, 1, 5_000, "--connect-concurrency");
        within(window, 1, 1_000, "--window");
        within(progressSeconds, 1, 3_600, "--progress");
        if (anomalyProbability < 0 || anomalyProbability > 1) {
            throw new IllegalArgumentException("--anomalies must be between 0 and 1");
        }
        if (!List.of("mqtt", "http").contains(transport)) {
            throw new IllegalArgumentException("--transport must be mqtt or http");
        }
        if ((token == null || token.isBlank()) && (adminPassword == null || adminPassword.isBlank())) {
            throw new IllegalArgumentException("give --token, or --password (or STREAMTHINGS_ADMIN_PASSWORD)");
        }
    }

    /** Parses {@code --flag value} or {@code --flag=value} pairs over the defaults. */
    public static SimulatorConfig parse(String[] args) {
        String api = "http://localhost:8080/api/v1";
        String mqtt = "tcp://localhost:1883";
        String user = "admin";
        String password = System.getenv("STREAMTHINGS_ADMIN_PASSWORD");
        String token = null;
        int devices = 10;
        String type = "sim-sensor";
        String prefix = "sim";
        String transport = "mqtt";
        int rate = 100;
        int duration = 30;
        int batch = 1;
        double anomalies = 0.002;
        long seed = 42;
        String tenant = null;
        int connectConcurrency = 200;
        int window = 100;
        int progress = 5;
        boolean operations = true;
        double failShare = 0;
        int rebootDowntime = 3_000;
        int poll = 5;
        String group = null;
        for (Flags.Flag f : Flags.parse(args)) {
            String flag = f.option();
            String value = f.value();
            switch (flag) {
                case "--api" -> api = value;
                case "--mqtt" -> mqtt = value;
                case "--user" -> user = value;
                case "--password" -> password = value;
                case "--token" -> token = value;
                case "--devices" -> devices = integer(flag, value);
                case "--type" -> type = value;
                case "--prefix" -> prefix = value;
                case "--transport" -> transport = value.toLowerCase(Locale.ROOT);
                case "--rate" -> rate = integer(flag, value);
                case "--duration" -> duration = integer(flag, value);
                case "--batch" -> batch = integer(flag, value);
                case "--anomalies" -> anomalies = Double.parseDouble(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--tenant" -> tenant = value;
                case "--connect-concurrency" -> connectConcurrency = integer(flag, value);
                case "--window" -> window = integer(flag, value);
                case "--progress" -> progress = integer(flag, value);
                case "--operations" -> operations = onOff(flag, value);
                case "--fail-share" -> failShare = decimal(flag, value);
                case "--reboot-downtime" -> rebootDowntime = integer(flag, value);
                case "--poll" -> poll = integer(flag, value);
                case "--group" -> group = value;
                default -> throw f.unknown();
            }
        }
        return new SimulatorConfig(URI.create(api), URI.create(mqtt), user, password, token, devices, type, prefix,
                transport, rate, duration, batch, anomalies, seed, tenant, connectConcurrency, window, progress, operations,
                failShare, rebootDowntime, poll, group);
    }

    private static int integer(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " expects a whole number, got \"" + value + "\"");
        }
    }

    private static double decimal(String flag, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " expects a number, got \"" + value + "\"");
        }
    }

    private static boolean onOff(String flag, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new IllegalArgumentException(flag + " expects on or off, got \"" + value + "\"");
        };
    }

    private static void within(int value, int min, int max, String flag) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(flag + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    private static void requireLoopback(URI uri, String flag) {
        String host = uri == null ? null : uri.getHost();
        if (host == null || !(host.equals("localhost") || host.equals("::1") || host.equals("[::1]")
                || host.startsWith("127."))) {
            throw new IllegalArgumentException(flag + " must point at this machine (localhost or 127.x), got " + uri);
        }
    }
}
