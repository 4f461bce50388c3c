package io.streamthings.flink.realtime;

import io.streamthings.common.device.DeviceEvent;
import io.streamthings.flink.influx.InfluxSink;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Where the real-time job reads and writes: its source and its sinks, apart from its topology
 * ({@link RealtimeJob#build(org.apache.flink.streaming.api.environment.StreamExecutionEnvironment,
 * RealtimeJobConfig, RealtimeEndpoints)}), so that the topology can be run on a bounded source with collecting sinks
 * (as the Flink training's exercises do) as well as on Kafka and InfluxDB ({@link #production}).
 *
 * @param source telemetry.raw, decoded (see {@link TelemetryDeserializer}); bounded or not
 * @param rawPoints every record as a raw point; used only when the config's {@code influx.raw-points} is on
 * @param windowPoints the 1-minute aggregates for InfluxDB ({@code telemetry_1m})
 * @param windowRecords the 1-minute aggregates for {@code telemetry.agg}, exactly once
 * @param latePoints the readings that came after their window was gone ({@code telemetry_late})
 * @param deviceEvents devices going offline and online again ({@code device.events})
 * @param deadLetters the undecodable records with the reason ({@code telemetry.dlq})
 */
public record RealtimeEndpoints(
        Source<DecodedRecord, ?, ?> source,
        Sink<TelemetryEvent> rawPoints,
        Sink<WindowAggregate> windowPoints,
        Sink<WindowAggregate> windowRecords,
        Sink<MetricSample> latePoints,
        Sink<DeviceEvent> deviceEvents,
        Sink<DecodedRecord> deadLetters) {

    public RealtimeEndpoints {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(rawPoints, "rawPoints");
        Objects.requireNonNull(windowPoints, "windowPoints");
        Objects.requireNonNull(windowRecords, "windowRecords");
        Objects.requireNonNull(latePoints, "latePoints");
        Objects.requireNonNull(deviceEvents, "deviceEvents");
        Objects.requireNonNull(deadLetters, "deadLetters");
    }

    /** Kafka in, Kafka and InfluxDB out, as the config says. */
    public static RealtimeEndpoints production(RealtimeJobConfig config) {
        KafkaSource<DecodedRecord> source = KafkaSource.<DecodedRecord>builder()
                .setBootstrapServers(config.kafkaBootstrap())
                .setTopics(config.topicRaw())
                .setGroupId(config.kafkaGroupId())
                .setClientIdPrefix(config.kafkaGroupId())
                // Restored jobs resume from the offsets in their checkpoint; a fresh job from the group's committed
                // offsets (committed on each completed checkpoint), or from the start of the topic the first time.
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new TelemetryDeserializer())
                .build();
        RetentionPolicies policies = RetentionPolicies.of(config);
        return new RealtimeEndpoints(
                source,
                new InfluxSink<TelemetryEvent>(config.influxUrl(), config.influxDatabase(), RetentionPolicies.RAW,
                        config.influxBatchSize(), config.influxFlushIntervalMs(), InfluxPoints::raw, policies),
                new InfluxSink<WindowAggregate>(config.influxUrl(), config.influxDatabase(), RetentionPolicies.RP_1M,
                        config.influxBatchSize(), config.influxFlushIntervalMs(), InfluxPoints::aggregate, policies),
                KafkaSink.<WindowAggregate>builder()
                        .setBootstrapServers(config.kafkaBootstrap())
                        .setRecordSerializer(new KafkaSerializers.Aggregates(config.topicAgg()))
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix(config.transactionalIdPrefix())
                        .setKafkaProducerConfig(producerConfig(config))
                        .build(),
                new InfluxSink<MetricSample>(config.influxUrl(), config.influxDatabase(), RetentionPolicies.RAW,
                        config.influxBatchSize(), config.influxFlushIntervalMs(), InfluxPoints::late, policies),
                // At-least-once: the registry folds these idempotently (the latest ts wins), and waiting for a
                // checkpoint before an offline event becomes visible would only delay it.
                KafkaSink.<DeviceEvent>builder()
                        .setBootstrapServers(config.kafkaBootstrap())
                        .setRecordSerializer(new KafkaSerializers.Events(config.topicEvents()))
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .build(),
                KafkaSink.<DecodedRecord>builder()
                        .setBootstrapServers(config.kafkaBootstrap())
                        .setRecordSerializer(new KafkaSerializers.DeadLetters(config.topicDlq()))
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .build());
    }

    private static Properties producerConfig(RealtimeJobConfig config) {
        Properties p = new Properties();
        // The connector's default (1 h) exceeds the broker's default transaction.max.timeout.ms (15 min).
        p.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(config.transactionTimeoutMs()));
        // Aggregates come in bursts (every series of a window fires when the watermark passes its end) and are
        // visible to read_committed consumers only when the checkpoint commits the transaction, so waiting a little
        // to fill larger batches delays nobody, and saves the broker (in the same JVM in standalone mode) most of its
        // produce requests. The writer flushes before every checkpoint regardless of the linger.
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "100");
        p.setProperty(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        return p;
    }
}
