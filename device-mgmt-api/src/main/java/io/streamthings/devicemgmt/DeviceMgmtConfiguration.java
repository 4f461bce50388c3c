package io.streamthings.devicemgmt;

import com.fasterxml.jackson.annotation.JsonMerge;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import io.streamthings.devicemgmt.operations.OperationsConfig;
import io.streamthings.devicemgmt.config.AuthConfig;
import io.streamthings.devicemgmt.config.InfluxConfig;
import io.streamthings.devicemgmt.config.KafkaConfig;
import io.streamthings.devicemgmt.config.LimitsConfig;
import io.streamthings.devicemgmt.config.MqttConfig;
import io.streamthings.devicemgmt.config.RulesConfig;
import io.streamthings.devicemgmt.config.StreamConfig;
import io.streamthings.devicemgmt.edgerules.EdgeRulesConfig;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * The configuration of the device management service. Every block has defaults for a local installation, so a nearly
 * empty file works; {@code ${VAR:-default}} is substituted from the environment.
 */
public class DeviceMgmtConfiguration extends Configuration {

    @Valid
    @NotNull
    @JsonMerge // a partial database block (just the url, say) keeps the PostgreSQL driver default
    @JsonProperty("database")
    private DataSourceFactory database = defaultDatabase();

    @Valid
    @NotNull
    @JsonProperty
    private KafkaConfig kafka = new KafkaConfig();

    @Valid
    @NotNull
    @JsonProperty
    private MqttConfig mqtt = new MqttConfig();

    @Valid
    @NotNull
    @JsonProperty
    private InfluxConfig influx = new InfluxConfig();

    @Valid
    @NotNull
    @JsonProperty
    private AuthConfig auth = new AuthConfig();

    @Valid
    @NotNull
    @JsonProperty
    private RulesConfig rules = new RulesConfig();

    @Valid
    @NotNull
    @JsonProperty
    private StreamConfig stream = new StreamConfig();

    @Valid
    @NotNull
    @JsonProperty
    private LimitsConfig limits = new LimitsConfig();

    @Valid
    @NotNull
    @JsonProperty
    private OperationsConfig operations = new OperationsConfig();

    @Valid
    @NotNull
    @JsonProperty
    private EdgeRulesConfig edgeRules = new EdgeRulesConfig();

    public EdgeRulesConfig getEdgeRules() {
        return edgeRules;
    }

    public OperationsConfig getOperations() {
        return operations;
    }

    public StreamConfig getStream() {
        return stream;
    }

    public LimitsConfig getLimits() {
        return limits;
    }

    public DataSourceFactory getDatabase() {
        return database;
    }

    public KafkaConfig getKafka() {
        return kafka;
    }

    public MqttConfig getMqtt() {
        return mqtt;
    }

    public InfluxConfig getInflux() {
        return influx;
    }

    public RulesConfig getRules() {
        return rules;
    }

    public AuthConfig getAuth() {
        return auth;
    }

    private static DataSourceFactory defaultDatabase() {
        DataSourceFactory factory = new DataSourceFactory();
        factory.setDriverClass("org.postgresql.Driver");
        factory.setUrl("jdbc:postgresql://localhost:5432/streamthings");
        factory.setUser("streamthings");
        factory.setPassword("streamthings");
        return factory;
    }
}
