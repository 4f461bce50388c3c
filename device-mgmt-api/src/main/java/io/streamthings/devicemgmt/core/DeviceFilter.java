package io.streamthings.devicemgmt.core;

import io.streamthings.common.device.DeviceStatus;
import io.streamthings.devicemgmt.errors.ApiException;
import java.util.Locale;

/**
 * The filters of a device search, checked: every value is later bound as a parameter, never spliced into SQL, and
 * {@code q} has its LIKE wildcards escaped so that "%" finds a percent sign, not everything.
 */
public record DeviceFilter(String type, String status, String group, String qLike, Boolean online) {

    public static DeviceFilter of(String type, String status, String group, String q) {
        return of(type, status, group, q, null);
    }

    /** With {@code online}: "true" or "false" keeps devices that are (not) online; absent keeps all. */
    public static DeviceFilter of(String type, String status, String group, String q, String online) {
        return new DeviceFilter(blankToNull(type), status(status), blankToNull(group), like(q), online(online));
    }

    private static Boolean online(String online) {
        String s = blankToNull(online);
        if (s == null) {
            return null;
        }
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw ApiException.badRequest("online: must be true or false");
        };
    }

    private static String status(String status) {
        String s = blankToNull(status);
        if (s == null) {
            return null;
        }
        try {
            return DeviceStatus.valueOf(s.toUpperCase(Locale.ROOT)).name();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("status: must be ACTIVE, INACTIVE, BLOCKED or REMOVED");
        }
    }

    /** A case-insensitive substring pattern with LIKE's metacharacters escaped. */
    static String like(String q) {
        String s = blankToNull(q);
        if (s == null) {
            return null;
        }
        if (s.length() > 128) {
            throw ApiException.badRequest("q: at most 128 characters");
        }
        return "%" + s.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    private static String blankToNull(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        if (s.length() > 128) {
            throw ApiException.badRequest("filter values are at most 128 characters");
        }
        return s;
    }
}
