package io.streamthings.common.telemetry;

import java.util.Objects;

/**
 * Telemetry input that the platform refuses, with the field at fault and a message fit to be returned to the client
 * and written to the dead-letter topic as it is.
 *
 * <p>The message is always {@code field + ": " + detail}, for example
 * {@code metrics.temperature: expected a number, got "hot"}. The field is a path into the record ({@code ts},
 * {@code metrics}, {@code metrics.temperature}, {@code tags.site}) or {@code $} for the payload as a whole.
 */
public class TelemetryValidationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What kind of problem it is, which decides the HTTP status of the answer. */
    public enum Kind {
        /** The payload is not JSON at all (syntax error, invalid UTF-8, empty body): 400. */
        MALFORMED_JSON(400),
        /** Valid JSON that breaks a rule of the telemetry format: 400. */
        INVALID(400),
        /** The payload is larger than the limits allow (bytes or records in a batch): 413. */
        TOO_LARGE(413);

        private final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        /** The HTTP status code that API.md gives this kind of error. */
        public int httpStatus() {
            return httpStatus;
        }
    }

    /** The kind of problem. */
    private final Kind kind;
    /** The path of the field at fault. */
    private final String field;
    /** The problem without the field. */
    private final String detail;

    /**
     * A rejection of input.
     *
     * @param kind the kind of problem
     * @param field the path of the field at fault, or {@code $} for the whole payload
     * @param detail what is wrong with it, without the field
     * @throws NullPointerException when any argument is null
     */
    public TelemetryValidationException(Kind kind, String field, String detail) {
        this(kind, field, detail, null, true);
    }

    private TelemetryValidationException(Kind kind, String field, String detail, Throwable cause, boolean stackTrace) {
        super(Objects.requireNonNull(field, "field") + ": " + Objects.requireNonNull(detail, "detail"), cause, false,
                stackTrace);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.field = field;
        this.detail = detail;
    }

    /**
     * A rejection of device input found by the decoder. Its stack trace is not filled in: bad input is an expected
     * outcome, a misbehaving device can send thousands a second, and where in the decoder it was found tells nobody
     * anything.
     */
    static TelemetryValidationException ofInput(Kind kind, String field, String detail, Throwable cause) {
        return new TelemetryValidationException(kind, field, detail, cause, false);
    }

    static TelemetryValidationException invalid(String field, String detail) {
        return ofInput(Kind.INVALID, field, detail, null);
    }

    /** The kind of problem; never null. */
    public Kind kind() {
        return kind;
    }

    /** The path of the field at fault ({@code metrics.temperature}), or {@code $} for the whole payload; never null. */
    public String field() {
        return field;
    }

    /** The problem without the field, e.g. {@code expected a number, got "hot"}; never null. */
    public String detail() {
        return detail;
    }
}
