package io.streamthings.flink.realtime;

import java.util.function.Consumer;

/** Explodes a record into one {@link MetricSample} per metric: the unit the windows aggregate. */
public final class Samples {

    private Samples() {
    }

    /** Passes one sample per metric of the event to {@code out}, in the record's metric order. */
    public static void explode(TelemetryEvent event, Consumer<MetricSample> out) {
        for (int i = 0; i < event.metricNames().length; i++) {
            out.accept(new MetricSample(event.tenant(), event.deviceType(), event.deviceId(), event.metricNames()[i],
                    event.metricValues()[i], event.ts(), event.receivedAt()));
        }
    }
}
