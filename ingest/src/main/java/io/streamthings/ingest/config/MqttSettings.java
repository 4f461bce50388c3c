package io.streamthings.ingest.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * The MQTT side of ingest. In mode {@code server} (the default) ingest is the MQTT server devices connect to (see
 * {@code io.streamthings.ingest.mqtt.MqttServer}); in mode {@code subscriber} it is a client of an outside broker
 * (mosquitto...), subscribed to the devices' telemetry through a shared subscription, with the internal service
 * account. Fields below say which mode reads them.
 */
public class MqttSettings {

    /** Where MQTT devices connect. */
    public enum Mode {
        /** Ingest terminates MQTT itself: devices connect to it. */
        SERVER,
        /** Ingest subscribes to an outside broker that devices connect to. */
        SUBSCRIBER;

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Mode of(String value) {
            return Mode.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** Whether to take MQTT at all (HTTP-only deployments switch it off). */
    @JsonProperty
    private boolean enabled = true;

    @NotNull
    @JsonProperty
    private Mode mode = Mode.SERVER;

    /** Server: the address the MQTT listeners bind. */
    @NotBlank
    @JsonProperty
    private String bindHost = "0.0.0.0";

    /** Server: the plain TCP port; 0 takes a free one (tests). */
    @Min(0)
    @Max(65535)
    @JsonProperty
    private int port = 1883;

    /** Server: the TLS port, opened only when {@link #keyStorePath} is set; 0 takes a free one. */
    @Min(0)
    @Max(65535)
    @JsonProperty
    private int tlsPort = 8883;

    /** Server: a PKCS#12 (or JKS) key store holding the TLS key and certificate; empty = no TLS listener. */
    @NotNull
    @JsonProperty
    private String keyStorePath = "";

    @NotNull
    @JsonProperty
    private String keyStorePassword = "";

    /** Server: the largest MQTT packet accepted, bytes; a larger one closes the connection. */
    @Min(1024)
    @Max(268_435_455)
    @JsonProperty
    private int maxMessageBytes = 256 * 1024;

    /** Server: a connection that has not sent CONNECT within this time is closed, ms. */
    @Min(100)
    @JsonProperty
    private long connectTimeoutMs = 10_000;

    /** Server: the keepalive used when a client asks for none (0), seconds; 0 here leaves such clients alone. */
    @Min(0)
    @JsonProperty
    private int defaultKeepAliveSeconds = 0;

    /** Server: Netty I/O threads; 0 = one per core. */
    @Min(0)
    @Max(64)
    @JsonProperty
    private int ioThreads = 0;

    /** Server: operations delivered to one device and not yet acknowledged (its PUBACK) at most. */
    @Min(1)
    @Max(65535)
    @JsonProperty
    private int operationsInFlight = 16;

    /** Server: how long graceful shutdown waits for the acknowledgements in flight, ms. */
    @Min(0)
    @JsonProperty
    private long shutdownGraceMs = 5_000;

    /** Subscriber: the outside broker. */
    @NotBlank
    @JsonProperty
    private String uri = "tcp://localhost:1883";

    /**
     * The service account's user name. The default starts with {@code _}, which no device id may, so it can never be
     * taken by a device.
     */
    @NotBlank
    @JsonProperty
    private String serviceUser = "_streamthings-ingest";

    /** The service account's password; standalone mode generates a random one at every start. */
    @NotNull
    @JsonProperty
    private String servicePassword = "";

    /** The MQTT client id of the subscriber; with {@code subscribers > 1} a suffix {@code -<n>} is added. */
    @NotBlank
    @Pattern(regexp = "[A-Za-z0-9_.:-]{1,60}")
    @JsonProperty
    private String clientId = "streamthings-ingest";

    /**
     * The shared-subscription group: when set, the subscriber subscribes to {@code $share/<group>/<topic>} so that
     * several ingest instances (and several connections of one) split the messages. Mosquitto, EMQX and HiveMQ
     * support it; Moquette 0.17 does not, so leave it empty there.
     */
    @NotNull
    @Pattern(regexp = "[A-Za-z0-9_.-]{0,60}")
    @JsonProperty
    private String sharedGroup = "";

    /** Subscriber connections in this instance; more than one only makes sense with a shared group. */
    @Min(1)
    @Max(64)
    @JsonProperty
    private int subscribers = 1;

    /** The topic filter devices publish telemetry to. */
    @NotBlank
    @JsonProperty
    private String telemetryTopic = "devices/+/telemetry";

    public boolean isEnabled() {
        return enabled;
    }

    public MqttSettings setEnabled(boolean enabled) {
        this.enabled = enabled;
        return this;
    }

    public Mode getMode() {
        return mode;
    }

    public MqttSettings setMode(Mode mode) {
        this.mode = mode;
        return this;
    }

    public String getBindHost() {
        return bindHost;
    }

    public MqttSettings setBindHost(String bindHost) {
        this.bindHost = bindHost;
        return this;
    }

    public int getPort() {
        return port;
    }

    public MqttSettings setPort(int port) {
        this.port = port;
        return this;
    }

    public int getTlsPort() {
        return tlsPort;
    }

    public MqttSettings setTlsPort(int tlsPort) {
        this.tlsPort = tlsPort;
        return this;
    }

    public String getKeyStorePath() {
        return keyStorePath;
    }

    public MqttSettings setKeyStorePath(String keyStorePath) {
        this.keyStorePath = keyStorePath;
        return this;
    }

    public String getKeyStorePassword() {
        return keyStorePassword;
    }

    public MqttSettings setKeyStorePassword(String keyStorePassword) {
        this.keyStorePassword = keyStorePassword;
        return this;
    }

    public int getMaxMessageBytes() {
        return maxMessageBytes;
    }

    public MqttSettings setMaxMessageBytes(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
        return this;
    }

    public long getConnectTimeoutMs() {
        return connectTimeoutMs;
    }

    public MqttSettings setConnectTimeoutMs(long connectTimeoutMs) {
        this.connectTimeoutMs = connectTimeoutMs;
        return this;
    }

    public int getDefaultKeepAliveSeconds() {
        return defaultKeepAliveSeconds;
    }

    public MqttSettings setDefaultKeepAliveSeconds(int defaultKeepAliveSeconds) {
        this.defaultKeepAliveSeconds = defaultKeepAliveSeconds;
        return this;
    }

    public int getIoThreads() {
        return ioThreads;
    }

    public MqttSettings setIoThreads(int ioThreads) {
        this.ioThreads = ioThreads;
        return this;
    }

    public int getOperationsInFlight() {
        return operationsInFlight;
    }

    public MqttSettings setOperationsInFlight(int operationsInFlight) {
        this.operationsInFlight = operationsInFlight;
        return this;
    }

    public long getShutdownGraceMs() {
        return shutdownGraceMs;
    }

    public MqttSettings setShutdownGraceMs(long shutdownGraceMs) {
        this.shutdownGraceMs = shutdownGraceMs;
        return this;
    }

    public String getUri() {
        return uri;
    }

    public MqttSettings setUri(String uri) {
        this.uri = uri;
        return this;
    }

    public String getServiceUser() {
        return serviceUser;
    }

    public MqttSettings setServiceUser(String serviceUser) {
        this.serviceUser = serviceUser;
        return this;
    }

    public String getServicePassword() {
        return servicePassword;
    }

    public MqttSettings setServicePassword(String servicePassword) {
        this.servicePassword = servicePassword;
        return this;
    }

    public String getClientId() {
        return clientId;
    }

    public MqttSettings setClientId(String clientId) {
        this.clientId = clientId;
        return this;
    }

    public String getSharedGroup() {
        return sharedGroup;
    }

    public MqttSettings setSharedGroup(String sharedGroup) {
        this.sharedGroup = sharedGroup;
        return this;
    }

    public int getSubscribers() {
        return subscribers;
    }

    public MqttSettings setSubscribers(int subscribers) {
        this.subscribers = subscribers;
        return this;
    }

    public String getTelemetryTopic() {
        return telemetryTopic;
    }

    public MqttSettings setTelemetryTopic(String telemetryTopic) {
        this.telemetryTopic = telemetryTopic;
        return this;
    }
}
