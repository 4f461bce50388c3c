package io.streamthings.flink.realtime;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Decodes {@code telemetry.raw} in the Kafka source, never failing on a bad record (see {@link Decoding}). */
final class TelemetryDeserializer implements KafkaRecordDeserializationSchema<DecodedRecord> {

    private static final long serialVersionUID = 1L;

    private transient Decoding decoding;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<DecodedRecord> out) {
        if (decoding == null) {
            decoding = new Decoding();
        }
        out.collect(decoding.decode(record.key(), record.value(), record.timestamp()));
    }

    @Override
    public TypeInformation<DecodedRecord> getProducedType() {
        return TypeInformation.of(DecodedRecord.class);
    }
}
