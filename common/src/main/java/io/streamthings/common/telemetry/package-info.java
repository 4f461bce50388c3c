/**
 * The telemetry model of the platform, its JSON codec and its validation.
 *
 * <p>{@link io.streamthings.common.telemetry.TelemetryRecord} is what a device sends,
 * {@link io.streamthings.common.telemetry.StampedTelemetry} is what ingest writes to Kafka after it authenticated the
 * device, {@link io.streamthings.common.telemetry.DeadLetter} is what it writes to the dead-letter topic when it
 * rejects input. {@link io.streamthings.common.telemetry.TelemetryCodec} reads and writes all three as JSON and checks
 * device input against {@link io.streamthings.common.telemetry.TelemetryLimits}; every problem it finds is a
 * {@link io.streamthings.common.telemetry.TelemetryValidationException} whose message names the field, fit to be
 * returned to the client as it is.
 */
package io.streamthings.common.telemetry;
