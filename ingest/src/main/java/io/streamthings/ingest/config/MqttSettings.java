package io.streamthings.ingest.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * The MQTT side of ingest: the broker to subscribe to, the internal service account, and how the subscription is
 * shared between ingest instances.
 */
public class MqttSettings {

    /** Whether to run the MQTT subscriber at all (HTTP-only deployments switch it off). */
    @JsonProperty
    private boolean enabled = true;

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
