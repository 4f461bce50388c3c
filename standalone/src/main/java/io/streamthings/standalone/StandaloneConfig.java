package io.streamthings.standalone;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the standalone platform needs to know: where its data lives and which ports it takes. Every value has a
 * default that works on a laptop; flags override them ({@code --data-dir ./data --http-port 8080 ...}).
 *
 * @param dataDir the one folder holding Kafka's log, PostgreSQL, InfluxDB and the generated configuration
 * @param bindHost the address device-facing servers (HTTP API, MQTT) bind; internal ones always bind 127.0.0.1
 * @param httpPort REST API, dashboards and Swagger UI
 * @param adminPort health checks and metrics (loopback only: it has no authentication)
 * @param kafkaPort Kafka bootstrap port
 * @param mqttPort MQTT broker port
 * @param postgresPort PostgreSQL port
 * @param influxPort InfluxDB HTTP port
 */
public record StandaloneConfig(
        Path dataDir,
        String bindHost,
        int httpPort,
        int adminPort,
        int kafkaPort,
        int mqttPort,
        int postgresPort,
        int influxPort) {

    /** The usage text printed for {@code --help} and after a bad flag. */
    public static final String USAGE = """
            Usage: java -jar streamthings-standalone.jar [options]
              --data-dir DIR        data folder (default ./data)
              --bind HOST           address for the HTTP API and MQTT (default 0.0.0.0)
              --http-port N         REST API, dashboards, Swagger UI (default 8080)
              --admin-port N        health checks and metrics, loopback only (default 8081)
              --kafka-port N        Kafka bootstrap port (default 9092)
              --mqtt-port N         MQTT broker port (default 1883)
              --postgres-port N     PostgreSQL port (default 5433)
              --influx-port N       InfluxDB HTTP port (default 8086)
              --help                this text""";

    public StandaloneConfig {
        for (int port : List.of(httpPort, adminPort, kafkaPort, mqttPort, postgresPort, influxPort)) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("a port must be between 1 and 65535, got " + port);
            }
        }
        List<Integer> ports = List.of(httpPort, adminPort, kafkaPort, mqttPort, postgresPort, influxPort);
        if (ports.stream().distinct().count() != ports.size()) {
            throw new IllegalArgumentException("two servers cannot share a port: " + ports);
        }
        if (bindHost == null || bindHost.isBlank()) {
            throw new IllegalArgumentException("--bind needs an address");
        }
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** The defaults of API.md. */
    public static StandaloneConfig defaults() {
        return new StandaloneConfig(Path.of("data"), "0.0.0.0", 8080, 8081, 9092, 1883, 5433, 8086);
    }

    /**
     * Parses command-line flags over the defaults.
     *
     * @throws IllegalArgumentException naming the bad flag or value
     */
    public static StandaloneConfig parse(String[] args) {
        StandaloneConfig c = defaults();
        Path dataDir = c.dataDir;
        String bind = c.bindHost;
        int http = c.httpPort;
        int admin = c.adminPort;
        int kafka = c.kafkaPort;
        int mqtt = c.mqttPort;
        int postgres = c.postgresPort;
        int influx = c.influxPort;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String flag = rest.remove(0);
            String value;
            int eq = flag.indexOf('=');
            if (eq > 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            } else {
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                value = rest.remove(0);
            }
            switch (flag) {
                case "--data-dir" -> dataDir = Path.of(value);
                case "--bind" -> bind = value;
                case "--http-port" -> http = port(flag, value);
                case "--admin-port" -> admin = port(flag, value);
                case "--kafka-port" -> kafka = port(flag, value);
                case "--mqtt-port" -> mqtt = port(flag, value);
                case "--postgres-port" -> postgres = port(flag, value);
                case "--influx-port" -> influx = port(flag, value);
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        return new StandaloneConfig(dataDir, bind, http, admin, kafka, mqtt, postgres, influx);
    }

    private static int port(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " expects a port number, got \"" + value + "\"");
        }
    }
}
