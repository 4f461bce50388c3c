package io.streamthings.devicemgmt.errors;

import java.util.List;

/** A refusal the API explains to its caller: an HTTP status and a message safe to show. */
public class ApiException extends RuntimeException {

    private final int status;
    private final List<String> details;

    public ApiException(int status, String message) {
        this(status, message, List.of());
    }

    public ApiException(int status, String message, List<String> details) {
        super(message, null, false, false);
        this.status = status;
        this.details = List.copyOf(details);
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
