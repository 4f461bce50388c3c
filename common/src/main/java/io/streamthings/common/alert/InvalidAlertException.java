package io.streamthings.common.alert;

/** An alert that {@link AlertBounds} refuses: which field is at fault and why. */
public class InvalidAlertException extends IllegalArgumentException {

    private final String field;

    /**
     * @param field the field at fault, e.g. {@code deviceId} or {@code values.temperature}
     * @param message the whole reason, naming the field
     */
    public InvalidAlertException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The field at fault. */
    public String field() {
        return field;
    }
}
