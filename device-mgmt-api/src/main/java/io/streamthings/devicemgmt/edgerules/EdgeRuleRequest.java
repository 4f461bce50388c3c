package io.streamthings.devicemgmt.edgerules;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;

/**
 * An edge rule as JSON: the Siddhi app and, optionally, a display name and a description.
 *
 * @param app the Siddhi app; its {@code @App:name} is the rule's id
 * @param name a display name; the id when absent
 * @param description what the rule does; the app's {@code @App:description} when absent
 */
@Schema(name = "EdgeRuleRequest")
public record EdgeRuleRequest(
        @Schema(example = "@App:name('hot-device') define stream TelemetryStream (deviceId string, temperature double);"
                + " from TelemetryStream[temperature > 90.0] select deviceId, temperature insert into AlertStream;")
        String app,
        @Size(max = 200) String name,
        @Size(max = 1000) String description) {}
