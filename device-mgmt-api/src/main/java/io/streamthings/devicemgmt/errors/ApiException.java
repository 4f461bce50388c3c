package io.streamthings.devicemgmt.errors;

import java.util.List;

/** A refusal the API explains to its caller: an HTTP status and a message safe to show. */
public class ApiException extends RuntimeException {

    private final int status;
    private final List<String> details;
    private final long retryAfterSeconds;

    public ApiException(int status, String message) {
        this(status, message, List.of());
    }

    public ApiException(int status, String message, List<String> details) {
        this(status, message, details, 0);
    }

    private ApiException(int status, String message, List<String> details, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.details = List.copyOf(details);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds the caller should wait before trying again ({@code Retry-After}); 0 when the header is not sent. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** 429 (this caller is over a limit) or 503 (the server is), with {@code Retry-After} of at least 1 s. */
    public static ApiException retryLater(int status, String message, long retryAfterSeconds) {
        return new ApiException(status, message, List.of(), Math.max(1, retryAfterSeconds));
    }

    public int status() {
        return status;
    }

    public List<String> details() {
        return details;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, message);
    }

    public static ApiException unprocessable(String message) {
        return new ApiException(422, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, message);
    }
}
