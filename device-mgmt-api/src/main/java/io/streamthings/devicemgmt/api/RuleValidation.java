package io.streamthings.devicemgmt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A rule app that compiles: what it reads and emits, and, for a dry run, what it would emit for the sample events.
 *
 * @param inputs the TelemetryStream attributes it declares, with their kind (DEVICE_ID, DEVICE_TYPE, TS, TAG, METRIC)
 * @param alertAttributes the attributes of its AlertStream
 * @param dryRun the dry run's result, when sample events were given
 */
@Schema(name = "RuleValidation")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RuleValidation(boolean valid, String name, List<Input> inputs, List<String> alertAttributes,
        DryRun dryRun) {

    /** One declared input attribute. */
    public record Input(String name, String kind) {}

    /**
     * What the sandbox saw: events fed, events skipped for lacking a declared metric, the alerts the app emitted,
     * and errors the app threw.
     */
    public record DryRun(int eventsIn, int eventsSkipped, List<AlertView.Fired> alerts, List<String> errors) {}
}
