package io.streamthings.flink.predictive.model;

/**
 * A forecast of one future time.
 *
 * @param ts the time forecast, epoch ms
 * @param value expected value
 * @param lower lower bound of the 95% band
 * @param upper upper bound of the 95% band
 * @param seasonal whether the seasonal profile is in use (a period was found)
 */
public record Forecast(long ts, double value, double lower, double upper, boolean seasonal) {

    /** The model's name for the predictions measurement. */
    public String model() {
        return seasonal ? "holt-winters" : "holt";
    }
}
