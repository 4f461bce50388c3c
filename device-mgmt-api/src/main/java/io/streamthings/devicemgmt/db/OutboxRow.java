package io.streamthings.devicemgmt.db;

/** A record waiting to be published to Kafka; a null value is a tombstone. */
public record OutboxRow(long id, String topic, String recordKey, byte[] value) {}
