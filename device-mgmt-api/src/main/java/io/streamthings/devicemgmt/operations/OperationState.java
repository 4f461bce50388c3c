package io.streamthings.devicemgmt.operations;

import java.util.Arrays;
import java.util.List;

/**
 * The states of an operation, in the order it moves through them. A change goes forward only: to a state of a higher
 * {@link #rank()}, never out of a terminal state. PENDING: stored, not yet handed to the transport (a rollout may hold
 * it back). SENT: queued for the device (the {@code operations} topic), not yet acknowledged. DELIVERED: the device
 * acknowledged it (MQTT PUBACK, or its HTTP pull). IN_PROGRESS: the device said it is running it. The rest are final.
 */
public enum OperationState {
    PENDING(0),
    SENT(1),
    DELIVERED(2),
    IN_PROGRESS(3),
    COMPLETED(4),
    ERROR(4),
    REJECTED(4),
    /** Delivered, but the device did not finish it within its timeout. */
    TIMED_OUT(4),
    /** Never delivered before its expiry. */
    EXPIRED(4),
    CANCELLED(4),
    /** A newer CONFIG of the same feature for the same device replaced it before it was delivered. */
    SUPERSEDED(4);

    private final int rank;

    OperationState(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    public boolean terminal() {
        return rank == 4;
    }

    /** The device did not do what was asked (counted against a rollout's abort threshold). */
    public boolean failed() {
        return this == ERROR || this == REJECTED || this == TIMED_OUT || this == EXPIRED;
    }

    /** What a device may report about its own operation. */
    public boolean reportableByDevice() {
        return this == DELIVERED || this == IN_PROGRESS || this == COMPLETED || this == ERROR || this == REJECTED;
    }

    /** The states not yet final. */
    public static final List<OperationState> OPEN = List.of(PENDING, SENT, DELIVERED, IN_PROGRESS);

    /** The names of {@link #OPEN}, for SQL {@code = ANY(:open)}. */
    public static String[] openNames() {
        return OPEN.stream().map(Enum::name).toArray(String[]::new);
    }

    /** Parses a state name, case-insensitively; null when it names none. */
    public static OperationState parse(String name) {
        if (name == null) {
            return null;
        }
        return Arrays.stream(values()).filter(s -> s.name().equalsIgnoreCase(name.trim())).findFirst().orElse(null);
    }
}
