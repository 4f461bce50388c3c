package io.streamthings.standalone;

import io.streamthings.kafka.Flags;
import java.nio.file.Path;
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
 * @param mqttPort MQTT port (ingest's MQTT server)
 * @param postgresPort PostgreSQL port
 * @param influxPort InfluxDB HTTP port
 * @param mqttTlsPort MQTT over TLS, when {@code mqttTls} is set
 * @param mqttTls empty for no TLS listener, {@code self-signed} to generate a key store in the data folder, or the
 *     path of a PKCS#12 (or .jks) key store
 * @param mqttKeyStorePassword the key store's password (not used with {@code self-signed})
 */
public record StandaloneConfig(
        Path dataDir,
        String bindHost,
        int httpPort,
        int adminPort,
        int kafkaPort,
        int mqttPort,
        int postgresPort,
        int influxPort,
        int mqttTlsPort,
        String mqttTls,
        String mqttKeyStorePassword) {

    /** {@code --mqtt-tls self-signed}. */
    public static final String SELF_SIGNED = "self-signed";

    /** The usage text printed for {@code --help} and after a bad flag. */
    public static final String USAGE = """
            Usage: java -jar streamthings-standalone.jar [options]
              --data-dir DIR        data folder (default ./data)
              --bind HOST           address for the HTTP API and MQTT (default 0.0.0.0)
              --http-port N         REST API, dashboards, Swagger UI (default 8080)
              --admin-port N        health checks and metrics, loopback only (default 8081)
              --kafka-port N        Kafka bootstrap port (default 9092)
              --mqtt-port N         MQTT port (default 1883)
              --postgres-port N     PostgreSQL port (default 5433)
              --influx-port N       InfluxDB HTTP port (default 8086)
              --mqtt-tls KEYSTORE   MQTT over TLS with this PKCS#12 key store, or "self-signed" to generate one
                                    in the data folder (default: no TLS listener)
              --mqtt-tls-port N     MQTT over TLS port (default 8883)
              --mqtt-keystore-password P  the key store's password
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
        mqttTls = mqttTls == null ? "" : mqttTls;
        mqttKeyStorePassword = mqttKeyStorePassword == null ? "" : mqttKeyStorePassword;
        if (!mqttTls.isEmpty() && (mqttTlsPort < 1 || mqttTlsPort > 65535 || ports.contains(mqttTlsPort))) {
            throw new IllegalArgumentException("--mqtt-tls-port must be a free port of its own, got " + mqttTlsPort);
        }
        if (bindHost == null || bindHost.isBlank()) {
            throw new IllegalArgumentException("--bind needs an address");
        }
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** Without TLS for MQTT. */
    public StandaloneConfig(Path dataDir, String bindHost, int httpPort, int adminPort, int kafkaPort, int mqttPort,
            int postgresPort, int influxPort) {
        this(dataDir, bindHost, httpPort, adminPort, kafkaPort, mqttPort, postgresPort, influxPort, 8883, "", "");
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
        int mqttTlsPort = c.mqttTlsPort;
        String mqttTls = c.mqttTls;
        String keyStorePassword = c.mqttKeyStorePassword;
        for (Flags.Flag f : Flags.parse(args)) {
            String flag = f.option();
            String value = f.value();
            switch (flag) {
                case "--data-dir" -> dataDir = Path.of(value);
                case "--bind" -> bind = value;
                case "--http-port" -> http = port(flag, value);
                case "--admin-port" -> admin = port(flag, value);
                case "--kafka-port" -> kafka = port(flag, value);
                case "--mqtt-port" -> mqtt = port(flag, value);
                case "--postgres-port" -> postgres = port(flag, value);
                case "--influx-port" -> influx = port(flag, value);
                case "--mqtt-tls" -> mqttTls = value;
                case "--mqtt-tls-port" -> mqttTlsPort = port(flag, value);
                case "--mqtt-keystore-password" -> keyStorePassword = value;
                default -> throw f.unknown();
            }
        }
        return new StandaloneConfig(dataDir, bind, http, admin, kafka, mqtt, postgres, influx, mqttTlsPort, mqttTls,
                keyStorePassword);
    }

    private static int port(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " expects a port number, got \"" + value + "\"");
        }
    }
}
