package io.streamthings.devicemgmt.operations;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.operation.OperationCodec;
import io.streamthings.common.operation.OperationStatus;
import io.streamthings.devicemgmt.kafka.BackgroundConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores what {@code operation.status} says: DELIVERED from ingest (the device's PUBACK) and the devices' own reports
 * (forwarded by ingest from {@code devices/{id}/operations/{opId}/status}, the device id stamped from its
 * credentials). One poll is one transaction; offsets are committed after it, so a crash re-reads the batch and the
 * state machine takes the repeats as duplicates. A refused report (not the device's own, backwards) is logged and
 * skipped, never retried.
 */
public class OperationStatusConsumer extends BackgroundConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(OperationStatusConsumer.class);
    static final String GROUP = "device-mgmt-operation-status";

    private final OperationService operations;

    public OperationStatusConsumer(OperationService operations, String bootstrapServers) {
        super("operation-status-consumer", config(bootstrapServers));
        this.operations = operations;
    }

    private static Properties config(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // What was reported while this service was down is read when it comes back.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "device-mgmt-operation-status");
        return p;
    }

    @Override
    protected void consume(KafkaConsumer<String, byte[]> c) {
        c.subscribe(List.of(Topics.OPERATION_STATUS.name()));
        while (running()) {
            ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(200));
            if (records.isEmpty()) {
                continue;
            }
            List<OperationService.Report> reports = new ArrayList<>(records.count());
            for (ConsumerRecord<String, byte[]> r : records) {
                try {
                    OperationStatus s = OperationCodec.decodeStatus(r.value());
                    JsonNode response = Json.readOrNull(s.responseJson());
                    String source = OperationStatus.DELIVERED.equals(s.status()) && s.responseJson() == null
                            ? "transport" : "mqtt";
                    reports.add(new OperationService.Report(s.tenant(), s.deviceId(), s.operationId(),
                            OperationState.parse(s.status()), response, source));
                } catch (RuntimeException e) {
                    LOG.warn("Skipping an unreadable operation status at {}-{}@{}: {}", r.topic(), r.partition(),
                            r.offset(), e.getMessage());
                }
            }
            List<OperationService.Result> results = operations.report(reports);
            for (int i = 0; i < results.size(); i++) {
                OperationService.Result result = results.get(i);
                OperationService.Report report = reports.get(i);
                if (result.outcome() != OperationService.Outcome.APPLIED
                        && result.outcome() != OperationService.Outcome.DUPLICATE
                        && !(report.status() == OperationState.DELIVERED
                                && result.outcome() == OperationService.Outcome.REFUSED)) {
                    // A late DELIVERED after the device's own report is normal (a re-send acknowledged twice).
                    LOG.info("Operation status {} of {}/{} for {} not taken: {}", report.status(), report.tenant(),
                            report.deviceId(), report.operationId(), result.message());
                }
            }
            c.commitSync();
        }
    }
}
