package io.streamthings.devicemgmt.policies;

/** What happens when a device reports a feature of a policy non-compliant. */
public enum PolicyAction {
    /** Push the effective policy again. */
    ENFORCE,
    /** Raise an alert on the {@code alerts} topic. */
    WARN,
    /** Only record it (the compliance summary shows it). */
    MONITOR
}
