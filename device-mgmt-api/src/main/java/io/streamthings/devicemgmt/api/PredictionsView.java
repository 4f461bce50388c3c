package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The forecasts of one metric of one device over a time range, as the predictive job stored them.
 *
 * @param deviceId the device
 * @param metric the metric
 * @param from start of the range, epoch ms, inclusive
 * @param to end of the range, epoch ms, inclusive
 * @param truncated true when the range holds more forecasts than maxPoints and only the oldest maxPoints are answered
 * @param points the forecasts, oldest {@code ts} first (several models may forecast the same time)
 */
@Schema(name = "Predictions")
public record PredictionsView(String deviceId, String metric, long from, long to, boolean truncated,
        List<Point> points) {

    /** Copies the points. */
    public PredictionsView {
        points = List.copyOf(points);
    }

    /**
     * One forecast.
     *
     * @param ts the time it is for, epoch ms
     * @param forecast the expected value
     * @param lower lower bound of the band the value is expected in
     * @param upper upper bound of that band
     * @param anomalyScore how unusual the readings looked to the model (0: nothing unusual), or null when it scores none
     * @param thresholdEtaMs ms from madeAt until a threshold is expected to be crossed, or null
     * @param model the model that made it
     * @param madeAt when it was made, epoch ms
     */
    @Schema(name = "Prediction")
    public record Point(long ts, double forecast, double lower, double upper,
            @Schema(nullable = true) Double anomalyScore, @Schema(nullable = true) Long thresholdEtaMs, String model,
            long madeAt) {}
}
