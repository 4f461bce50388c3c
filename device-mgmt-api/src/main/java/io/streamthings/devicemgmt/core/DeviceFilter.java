package io.streamthings.devicemgmt.core;

import io.streamthings.common.device.DeviceStatus;
import io.streamthings.devicemgmt.errors.ApiException;
import java.util.Locale;

/**
 * The filters of a device search, checked: every value is later bound as a parameter, never spliced into SQL, and
 * {@code q} has its LIKE wildcards escaped so that "%" finds a percent sign, not everything.
 */
public record DeviceFilter(String type, String status, String group, String qLike) {

    public static DeviceFilter of(String type, String status, String group, String q) {
        return new DeviceFilter(blankToNull(type), status(status), blankToNull(group), like(q));
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
