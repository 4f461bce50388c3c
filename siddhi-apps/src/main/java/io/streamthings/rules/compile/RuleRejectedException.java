package io.streamthings.rules.compile;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A rule app was refused: it does not compile or breaks the platform's policy. Carries a reason meant for the app's
 * author and, when known, the 1-based line and column of the offending element.
 */
public final class RuleRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;
    private final Integer line;
    private final Integer column;

    /**
     * @param reason why the app was refused, for its author
     * @param line 1-based line of the offending element, null when unknown
     * @param column 1-based column of the offending element, null when unknown (or when the line is)
     * @throws NullPointerException when reason is null
     */
    public RuleRejectedException(String reason, Integer line, Integer column) {
        super(Objects.requireNonNull(reason, "reason"));
        this.reason = reason;
        this.line = line;
        // a column without its line says nothing
        this.column = line == null ? null : column;
    }

    /** Why the app was refused, without the position. */
    public String reason() {
        return reason;
    }

    /** The 1-based line of the offending element, empty when unknown. */
    public OptionalInt line() {
        return line == null ? OptionalInt.empty() : OptionalInt.of(line);
    }

    /** The 1-based column of the offending element, empty when unknown. */
    public OptionalInt column() {
        return column == null ? OptionalInt.empty() : OptionalInt.of(column);
    }

    /** {@code "line 3, column 5: <reason>"} when the position is known, {@code "line 3: <reason>"}, else the reason. */
    @Override
    public String getMessage() {
        if (line == null) {
            return reason;
        }
        if (column == null) {
            return "line " + line + ": " + reason;
        }
        return "line " + line + ", column " + column + ": " + reason;
    }
}
