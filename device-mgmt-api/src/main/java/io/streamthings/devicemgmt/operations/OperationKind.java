package io.streamthings.devicemgmt.operations;

/**
 * What an operation carries. COMMAND and CONFIG name a feature of the device's type and their params are checked against
 * that feature's JSON schema; POLICY and EDGE_RULE carry a payload the platform itself builds (an effective policy, a
 * Siddhi app), checked by the service that builds it.
 */
public enum OperationKind {
    COMMAND,
    CONFIG,
    POLICY,
    EDGE_RULE;

    /** Whether the code must be a feature of the device type and the params must match its schema. */
    public boolean checkedAgainstFeatures() {
        return this == COMMAND || this == CONFIG;
    }
}
