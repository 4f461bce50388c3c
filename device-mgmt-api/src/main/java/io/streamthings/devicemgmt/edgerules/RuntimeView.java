package io.streamthings.devicemgmt.edgerules;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * An edge runtime's last health report.
 *
 * @param receivedAt when ingest took it
 * @param stale true when no report came for {@code staleAfterIntervals} health intervals
 * @param report the runtime's report as sent: rules (versions, events in/out, errors), queue (records, bytes,
 *     oldestAgeMs, dropped counts), upstream counters, heap
 */
@Schema(name = "EdgeRuntime")
public record RuntimeView(String deviceId, Instant receivedAt, boolean stale, JsonNode report) {}
