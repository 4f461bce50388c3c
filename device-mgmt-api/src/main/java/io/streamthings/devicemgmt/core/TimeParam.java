package io.streamthings.devicemgmt.core;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A point in time as API.md accepts it: epoch milliseconds, ISO-8601, {@code now}, or relative like {@code -1h}; also
 * relative to the future, like {@code +24h} (predictions lie ahead; in a query string the {@code +} is {@code %2B}).
 */
public final class TimeParam {

    private static final Pattern RELATIVE = Pattern.compile("^(now)?([-+])(\\d{1,9})(ms|s|m|h|d|w)$");

    private TimeParam() {}

    /**
     * Parses the value relative to {@code now}.
     *
     * @throws IllegalArgumentException when the value is none of the accepted forms
     */
    public static Instant parse(String value, Instant now) {
        String v = value.trim();
        if (v.equals("now")) {
            return now;
        }
        Matcher relative = RELATIVE.matcher(v);
        if (relative.matches()) {
            long amount = Long.parseLong(relative.group(3));
            Duration offset = switch (relative.group(4)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> Duration.ofDays(7 * amount);
            };
            return relative.group(2).equals("+") ? now.plus(offset) : now.minus(offset);
        }
        if (v.matches("^-?\\d{1,15}$")) {
            return Instant.ofEpochMilli(Long.parseLong(v));
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(v);
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException(
                        "expected epoch milliseconds, ISO-8601, now, or relative such as -1h or +24h; got " + v);
            }
        }
    }
}
