package io.streamthings.flink.realtime;

/**
 * What the presence operator remembers of one online device (a Flink POJO in keyed state). An offline device has no
 * state at all: the state is cleared when the device goes offline, so it never outgrows the set of online devices.
 */
public final class PresenceState {

    /** Processing time of the last sign of life, ms. */
    public long lastHeardAt;
    /** Greatest ingest time seen, ms: the {@code ts} of an offline event, so the registry's lastSeen stays right. */
    public long lastReceivedAt;
    /** Ingest time carried by the last online or seen event, ms. */
    public long lastSeenEventAt;
    /** The device's timeout, ms. */
    public long offlineAfterMs;
    /** The one registered processing-time timer, ms. */
    public long timer;

    /** An empty state. */
    public PresenceState() {
    }
}
