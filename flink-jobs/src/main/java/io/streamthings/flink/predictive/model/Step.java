package io.streamthings.flink.predictive.model;

/**
 * What the model made of one reading.
 *
 * @param expected the forecast of this reading made before it came
 * @param actual the reading
 * @param score robust z-score of its error (0 while the model has no error history)
 * @param kind anomalous or not, and why
 */
public record Step(double expected, double actual, double score, AnomalyKind kind) {

    /** True when the reading is anomalous. */
    public boolean anomalous() {
        return kind != AnomalyKind.NONE;
    }
}
