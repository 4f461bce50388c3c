package io.streamthings.devicemgmt.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/** The MQTT broker devices connect to; used here for the health check. */
public class MqttConfig {

    @NotBlank
    @JsonProperty
    private String host = "localhost";

    @Min(1)
    @Max(65535)
    @JsonProperty
    private int port = 1883;

    public String getHost() {
        return host;
    }

    public int getPort() {
        return port;
    }
}
