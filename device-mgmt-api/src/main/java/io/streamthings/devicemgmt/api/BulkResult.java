package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The outcome of a bulk enrollment: counts and one result per row, in request order. */
@Schema(name = "BulkResult")
public record BulkResult(int total, int enrolled, int failed, List<BulkRowResult> results) {}
