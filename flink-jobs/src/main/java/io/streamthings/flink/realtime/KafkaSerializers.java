package io.streamthings.flink.realtime;

import io.streamthings.common.device.DeviceEvent;
import io.streamthings.common.kafka.DeviceKey;
import io.streamthings.common.kafka.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Kafka records of the job's outputs; every key is {@code tenant/deviceId}, so a device's records stay in order. */
final class KafkaSerializers {

    private KafkaSerializers() {
    }

    /** Window aggregates to {@code telemetry.agg}. */
    static final class Aggregates implements KafkaRecordSerializationSchema<WindowAggregate> {
        private static final long serialVersionUID = 1L;
        private final String topic;
        private transient StringBuilder scratch;

        Aggregates(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(WindowAggregate a, KafkaSinkContext context, Long timestamp) {
            if (scratch == null) {
                scratch = new StringBuilder(320);
            }
            byte[] key = DeviceKey.CODEC.encode(DeviceKey.of(a.tenant(), a.deviceId()));
            return new ProducerRecord<>(topic, null, a.windowEnd(), key, AggregateJson.aggregate(a, scratch));
        }
    }

    /** Online/offline/seen events to {@code device.events}. */
    static final class Events implements KafkaRecordSerializationSchema<DeviceEvent> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        Events(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(DeviceEvent e, KafkaSinkContext context, Long timestamp) {
            // The topic's name is configurable; its key and value codecs are those of device.events.
            return new ProducerRecord<>(topic, Topics.DEVICE_EVENTS.encodeKey(e.key()),
                    Topics.DEVICE_EVENTS.encodeValue(e));
        }
    }

    /** Dead letters to {@code telemetry.dlq}, under the key of the record they replace. */
    static final class DeadLetters implements KafkaRecordSerializationSchema<DecodedRecord> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        DeadLetters(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(DecodedRecord r, KafkaSinkContext context, Long timestamp) {
            byte[] key = r.deadLetterKey() == null ? null : r.deadLetterKey().getBytes(StandardCharsets.UTF_8);
            return new ProducerRecord<>(topic, key, r.deadLetter());
        }
    }
}
