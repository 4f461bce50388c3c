package io.streamthings.devicemgmt.resources;

import io.streamthings.devicemgmt.errors.ApiException;

/**
 * Offset and limit query parameters, parsed here so that "abc" is a 400 with a message rather than JAX-RS's 404 for an
 * unconvertible parameter.
 */
public record Paging(int offset, int limit) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 1000;

    public static Paging of(String offset, String limit) {
        int o = parse("offset", offset, 0);
        int l = parse("limit", limit, DEFAULT_LIMIT);
        if (o < 0) {
            throw ApiException.badRequest("offset: must be 0 or more");
        }
        if (l < 1 || l > MAX_LIMIT) {
            throw ApiException.badRequest("limit: must be between 1 and " + MAX_LIMIT);
        }
        return new Paging(o, l);
    }

    private static int parse(String name, String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + ": must be an integer");
        }
    }
}
