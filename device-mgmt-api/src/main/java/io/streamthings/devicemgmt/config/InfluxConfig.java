package io.streamthings.devicemgmt.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;

/** The InfluxDB 1.x HTTP endpoint and database of the time series. */
public class InfluxConfig {

    @NotBlank
    @JsonProperty
    private String url = "http://localhost:8086";

    @NotBlank
    @JsonProperty
    private String database = "streamthings";

    public String getUrl() {
        return url;
    }

    public String getDatabase() {
        return database;
    }
}
