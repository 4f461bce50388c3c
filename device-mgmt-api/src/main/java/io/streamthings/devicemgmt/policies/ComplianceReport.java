package io.streamthings.devicemgmt.policies;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * A device's report on its effective policy.
 *
 * @param version the effective policy version it reports on (as pushed); a report on an older one is refused (409);
 *     absent means the current one
 * @param features feature code to compliant, non-compliant or pending
 */
@Schema(name = "ComplianceReport")
public record ComplianceReport(Integer version,
        @NotEmpty @Size(max = 100) @Schema(example = "{\"set-interval\":\"compliant\"}")
                Map<String, ComplianceState> features) {}
