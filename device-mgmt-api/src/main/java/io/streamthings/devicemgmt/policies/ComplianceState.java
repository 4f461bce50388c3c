package io.streamthings.devicemgmt.policies;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A device's state for one feature of its effective policy. */
public enum ComplianceState {
    @JsonProperty("compliant") COMPLIANT,
    @JsonProperty("non-compliant") NON_COMPLIANT,
    /** Pushed, not yet reported on. */
    @JsonProperty("pending") PENDING
}
