package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * A rule app and sample events to run through it in a sandbox, before it goes live.
 *
 * @param events at most 10,000 telemetry records as devices send them, each naming its device
 */
@Schema(name = "RuleDryRunRequest")
public record RuleDryRunRequest(@NotBlank String app, @Valid @Size(max = 10_000) List<SampleEvent> events) {

    /** One sample record; {@code deviceType} defaults to {@code sample}, {@code ts} to the previous event's. */
    public record SampleEvent(@NotBlank String deviceId, String deviceType, Long ts, Map<String, Double> metrics,
            Map<String, String> tags) {}
}
