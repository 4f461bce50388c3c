package io.streamthings.devicemgmt.db;

import java.time.Instant;

/**
 * What the stream reports about a device: seen at a time, and online or not.
 *
 * @param online null when the event only says the device was seen
 */
public record LastSeenUpdate(String tenant, String deviceId, Instant seenAt, Boolean online) {}
