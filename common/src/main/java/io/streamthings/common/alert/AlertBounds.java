package io.streamthings.common.alert;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bounds every alert is held to before it is sent or stored, so that what a rule selects (a 200-character
 * {@code deviceId}, a NUL copied from a tag, a huge message) cannot break the store that folds every tenant's alerts.
 *
 * <p>Identity fields ({@code tenant}, {@code source}, {@code rule}, {@code deviceId}) are refused when too long or
 * when they hold a control character: cut short they would name another device. Free text (the message, string
 * values, value names) loses its control characters other than tab and newline, and is cut to its bound with a
 * marker. More values than {@link #MAX_VALUES} are refused.
 */
public final class AlertBounds {

    /** Longest tenant name, in characters (the registry's column). */
    public static final int MAX_TENANT_CHARS = 64;

    /** Longest source, in characters. */
    public static final int MAX_SOURCE_CHARS = 16;

    /** Longest rule name, in characters. */
    public static final int MAX_RULE_CHARS = 128;

    /** Longest device id, in characters. */
    public static final int MAX_DEVICE_ID_CHARS = 128;

    /** Longest message, in characters; a longer one is cut and ends with {@link #CUT_MARKER}. */
    public static final int MAX_MESSAGE_CHARS = 1_024;

    /** Most values one alert carries. */
    public static final int MAX_VALUES = 64;

    /** Longest name of a value, in characters; a longer one is cut. */
    public static final int MAX_VALUE_NAME_CHARS = 128;

    /** Longest string value, in characters; a longer one is cut and ends with {@link #CUT_MARKER}. */
    public static final int MAX_TEXT_VALUE_CHARS = 1_024;

    /** What ends a text cut to its bound. */
    public static final String CUT_MARKER = "…[cut]";

    private AlertBounds() {}

    /**
     * The alert within its bounds: the same alert when it already is, else a copy with its text cleaned and cut.
     *
     * @throws InvalidAlertException when an identity field is too long or holds a control character, or when the
     *     alert carries more than {@link #MAX_VALUES} values
     * @throws NullPointerException when alert is null
     */
    public static AlertEvent bound(AlertEvent alert) {
        identity(alert.tenant(), "tenant", MAX_TENANT_CHARS);
        identity(alert.source(), "source", MAX_SOURCE_CHARS);
        identity(alert.rule(), "rule", MAX_RULE_CHARS);
        if (alert.deviceId() != null) {
            identity(alert.deviceId(), "deviceId", MAX_DEVICE_ID_CHARS);
        }
        if (alert.values().size() > MAX_VALUES) {
            throw new InvalidAlertException("values", "values: at most " + MAX_VALUES + " values, got "
                    + alert.values().size());
        }
        String message = text(alert.message(), MAX_MESSAGE_CHARS);
        boolean changed = !message.equals(alert.message());
        Map<String, Object> values = new LinkedHashMap<>(alert.values().size() * 2);
        for (Map.Entry<String, Object> e : alert.values().entrySet()) {
            String name = cut(clean(e.getKey()), MAX_VALUE_NAME_CHARS, "");
            Object value = e.getValue() instanceof String s ? text(s, MAX_TEXT_VALUE_CHARS) : e.getValue();
            changed |= !name.equals(e.getKey()) || value != e.getValue() && !value.equals(e.getValue());
            values.putIfAbsent(name.isEmpty() ? "_" : name, value);
        }
        changed |= values.size() != alert.values().size();
        return changed ? new AlertEvent(alert.tenant(), alert.source(), alert.rule(), alert.deviceId(),
                alert.severity(), message, alert.ts(), alert.firedAt(), values) : alert;
    }

    /**
     * A dead letter for the {@code alerts.dlq} topic: the alert's bytes as they came, with the reason. Its tenant and
     * device id are kept only when they are within their bounds, so that the dead letter itself cannot fail.
     *
     * @param reason why the alert was refused
     * @param field the field at fault, or {@code $} for the whole alert
     * @param raw the alert as read or as it would have been sent
     * @param receivedAt epoch milliseconds
     * @param source who refused it, e.g. {@code rules} or {@code device-mgmt}
     * @param tenant the alert's tenant, or null when unknown
     * @param deviceId the alert's device, or null
     */
    public static io.streamthings.common.telemetry.DeadLetter deadLetter(String reason, String field, byte[] raw,
            long receivedAt, String source, String tenant, String deviceId) {
        return new io.streamthings.common.telemetry.DeadLetter(reason, field, receivedAt, source,
                withinOrNull(tenant, MAX_TENANT_CHARS), withinOrNull(deviceId, MAX_DEVICE_ID_CHARS), raw);
    }

    private static String withinOrNull(String value, int max) {
        if (value == null || value.isBlank() || value.length() > max) {
            return null;
        }
        try {
            identity(value, "", max);
            return value;
        } catch (InvalidAlertException e) {
            return null;
        }
    }

    private static void identity(String value, String field, int max) {
        if (value.length() > max) {
            throw new InvalidAlertException(field, field + ": at most " + max + " characters, got " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new InvalidAlertException(field, field + ": control character U+"
                        + String.format("%04X", (int) value.charAt(i)) + " at index " + i);
            }
        }
    }

    private static String text(String value, int max) {
        return cut(clean(value), max, CUT_MARKER);
    }

    /** Without control characters other than tab and newline, and without lone surrogates (not UTF-8). */
    static String clean(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean drop = Character.isISOControl(c) && c != '\t' && c != '\n';
            if (Character.isHighSurrogate(c)) {
                drop = i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1));
            } else if (Character.isLowSurrogate(c)) {
                drop = i == 0 || !Character.isHighSurrogate(value.charAt(i - 1));
            }
            if (drop && out == null) {
                out = new StringBuilder(value.length()).append(value, 0, i);
            } else if (!drop && out != null) {
                out.append(c);
            }
        }
        return out == null ? value : out.toString();
    }

    private static String cut(String value, int max, String marker) {
        if (value.length() <= max) {
            return value;
        }
        int end = max - marker.length();
        if (Character.isHighSurrogate(value.charAt(end - 1))) {
            end--; // never split a pair
        }
        return value.substring(0, end) + marker;
    }
}
