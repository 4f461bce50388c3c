package io.streamthings.devicemgmt.analytics;

/** InfluxDB did not answer, or answered with a server error: the caller gets 503 and may retry. */
public class InfluxUnavailableException extends RuntimeException {

    /** With a message safe to show to the caller. */
    public InfluxUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
