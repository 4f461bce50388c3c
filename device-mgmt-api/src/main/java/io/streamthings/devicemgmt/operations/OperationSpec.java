package io.streamthings.devicemgmt.operations;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * What to ask devices to do.
 *
 * @param kind COMMAND, CONFIG, POLICY or EDGE_RULE
 * @param code for COMMAND and CONFIG a feature code of the device type; for POLICY and EDGE_RULE a name of the caller's
 *     choosing (e.g. the policy or rule id)
 * @param params the parameters; for COMMAND and CONFIG they must match the feature's JSON schema; null is {}
 * @param oneWay true: done once delivered; false (default): done when the device reports
 * @param timeoutSeconds how long the device has, once delivered, to finish; default from the configuration
 * @param expiresInSeconds how long it may wait for delivery before it EXPIRES; default from the configuration
 * @param devices only for {@code POST /operations}: the target devices
 * @param rollout how a multi-device operation is released; null releases every device at once
 */
@Schema(name = "OperationSpec")
public record OperationSpec(
        @NotNull @Schema(example = "COMMAND") OperationKind kind,
        @NotBlank @Size(max = 64) @Schema(example = "reboot") String code,
        @Schema(example = "{\"delaySeconds\": 5}") JsonNode params,
        Boolean oneWay,
        @Min(1) @Max(30L * 24 * 3600) Long timeoutSeconds,
        @Min(1) @Max(365L * 24 * 3600) Long expiresInSeconds,
        @Size(max = 100_000) List<@NotBlank @Size(max = 64) String> devices,
        @Valid RolloutSpec rollout) {

    /** The same operation for a Java caller: kind, code, params, defaults for the rest. */
    public static OperationSpec of(OperationKind kind, String code, JsonNode params) {
        return new OperationSpec(kind, code, params, null, null, null, null, null);
    }

    /** A copy released as {@code rollout} says. */
    public OperationSpec withRollout(RolloutSpec rollout) {
        return new OperationSpec(kind, code, params, oneWay, timeoutSeconds, expiresInSeconds, devices, rollout);
    }

    /** A copy with these timeouts (either may be null for the default). */
    public OperationSpec withTimeouts(Long timeoutSeconds, Long expiresInSeconds) {
        return new OperationSpec(kind, code, params, oneWay, timeoutSeconds, expiresInSeconds, devices, rollout);
    }

    /** A copy that is done once delivered (true) or when the device reports (false). */
    public OperationSpec withOneWay(boolean oneWay) {
        return new OperationSpec(kind, code, params, oneWay, timeoutSeconds, expiresInSeconds, devices, rollout);
    }

    /**
     * How a rollout releases its operations; every field optional.
     *
     * @param batchSize at most this many released and unfinished at once
     * @param ratePerMinute at most this many released per minute
     * @param abortThresholdPercent stop (cancel the rest) when more than this share of the finished ones failed
     */
    @Schema(name = "RolloutSpec")
    public record RolloutSpec(
            @Min(1) @Max(100_000) Integer batchSize,
            @Min(1) @Max(1_000_000) Integer ratePerMinute,
            @Min(0) @Max(100) Double abortThresholdPercent) {}
}
