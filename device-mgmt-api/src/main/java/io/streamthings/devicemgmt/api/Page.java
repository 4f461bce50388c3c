package io.streamthings.devicemgmt.api;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items the items of this page
 * @param total how many items match in all
 * @param offset how many matching items come before this page
 * @param limit the page size asked for
 */
public record Page<T>(List<T> items, long total, int offset, int limit) {}
