package io.streamthings.ingest.core;

import io.streamthings.common.telemetry.BatchDecodeResult.Rejection;
import io.streamthings.common.telemetry.DeviceIdentity;
import io.streamthings.common.telemetry.StampedTelemetry;
import java.util.List;

/**
 * What one payload from one device came to: the stamped records that passed, the rejections (each with the raw JSON
 * or line that failed), and the payload itself for a rejection of the whole body.
 *
 * @param device who sent it, from its credentials
 * @param source {@code http} or {@code mqtt}
 * @param receivedAt when it arrived, epoch ms
 * @param payload the payload as received (after decompression)
 * @param accepted the stamped records, in payload order
 * @param rejected the rejections, in payload order; one with index -1 when the whole body was refused
 */
public record Batch(DeviceIdentity device, String source, long receivedAt, byte[] payload,
        List<StampedTelemetry> accepted, List<Rejection> rejected) {

    public Batch {
        accepted = List.copyOf(accepted);
        rejected = List.copyOf(rejected);
    }

    /** True when the payload as a whole was refused (malformed, too large); {@code rejected().get(0)} says why. */
    public boolean bodyRejected() {
        return rejected.size() == 1 && rejected.get(0).index() == -1;
    }

    /** The same batch with everything accepted moved to a single rejection (e.g. over the rate limit). */
    public Batch refusedAs(Rejection whole) {
        return new Batch(device, source, receivedAt, payload, List.of(), List.of(whole));
    }
}
