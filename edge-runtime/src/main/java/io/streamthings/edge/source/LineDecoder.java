package io.streamthings.edge.source;

import io.streamthings.common.telemetry.BatchDecodeResult;
import io.streamthings.common.telemetry.TelemetryCodec;
import java.util.List;

/** Lines (or bodies) of the platform's JSON format into records, with the platform's own codec and limits. */
final class LineDecoder {

    private final TelemetryCodec codec = new TelemetryCodec();

    /** The records of one line; each rejection is reported to the sink with its reason. */
    List<BatchDecodeResult.Accepted> decode(String source, String line, SourceSink sink) {
        BatchDecodeResult result = codec.decodeBatch(line, System.currentTimeMillis());
        for (var r : result.rejected()) {
            sink.rejected(source, r.message());
        }
        return result.accepted();
    }
}
