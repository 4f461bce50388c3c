package io.streamthings.flink.predictive.model;

/** Why a reading was found anomalous. */
public enum AnomalyKind {
    /** Not anomalous. */
    NONE,
    /** Far from the forecast (robust z-score above the threshold). */
    SPIKE,
    /** Far from the forecast for several readings in a row, all on one side: the level was moved to them. */
    LEVEL_SHIFT,
    /** Small errors that keep adding up on one side (CUSUM). */
    DRIFT,
    /** The same value again and again from a signal that used to move. */
    STUCK
}
