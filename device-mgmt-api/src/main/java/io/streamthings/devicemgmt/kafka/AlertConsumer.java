package io.streamthings.devicemgmt.kafka;

import io.streamthings.common.alert.AlertBounds;
import io.streamthings.common.alert.AlertCodec;
import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.alert.InvalidAlertException;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.DeadLetter;
import io.streamthings.devicemgmt.core.AlertService;
import java.io.IOException;
import java.time.Clock;
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
 * Reads {@code alerts} (from rule apps, Flink jobs and edge devices) as a consumer group, folds each batch into
 * PostgreSQL (one open alert per rule and device) and appends the firings to InfluxDB, then commits: an alert is
 * stored at least once, and the fold ignores a redelivered firing.
 */
public class AlertConsumer extends BackgroundConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(AlertConsumer.class);
    static final String GROUP = "device-mgmt-alerts";

    private final AlertService alerts;
    private final InfluxAlertWriter influx;
    private final Clock clock;

    public AlertConsumer(AlertService alerts, String bootstrapServers, String influxUrl, String influxDatabase,
            Clock clock) {
        super("alert-consumer", config(bootstrapServers));
        this.alerts = alerts;
        this.clock = clock;
        this.influx = new InfluxAlertWriter(influxUrl, influxDatabase);
    }

    private static Properties config(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1_000);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "device-mgmt-alerts");
        return p;
    }

    /**
     * A batch that fails is not committed: it comes again, and the fold ignores what it already has. An alert that
     * is unreadable, beyond its bounds or refused by the database is not a failure of the batch: it goes to
     * {@code alerts.dlq} with its reason and the others are stored.
     */
    @Override
    protected void consume(KafkaConsumer<String, byte[]> c) {
        c.subscribe(List.of(Topics.ALERTS.name()));
        while (running()) {
            ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
            if (records.isEmpty()) {
                continue;
            }
            List<AlertService.Incoming> batch = new ArrayList<>(records.count());
            List<DeadLetter> refused = new ArrayList<>();
            decode(records, batch, refused);
            List<DeadLetter> setAside = alerts.foldOrSetAside(batch, refused);
            for (DeadLetter d : setAside) {
                LOG.warn("An alert of tenant {} went to {}: {}", d.tenant(), Topics.ALERTS_DLQ.name(), d.reason());
            }
            writeInflux(batch.stream().map(AlertService.Incoming::alert).toList());
            c.commitSync();
        }
    }

    private void decode(ConsumerRecords<String, byte[]> records, List<AlertService.Incoming> batch,
            List<DeadLetter> refused) {
        for (ConsumerRecord<String, byte[]> r : records) {
            byte[] raw = r.value() == null ? new byte[0] : r.value();
            AlertEvent alert = null;
            try {
                alert = AlertCodec.decode(r.value());
                batch.add(new AlertService.Incoming(AlertBounds.bound(alert), raw));
            } catch (InvalidAlertException e) {
                refused.add(AlertBounds.deadLetter(e.getMessage(), e.field(), raw, clock.millis(),
                        AlertService.DEAD_LETTER_SOURCE, alert.tenant(), alert.deviceId()));
            } catch (RuntimeException e) {
                // whatever the decoder throws, the record is the cause: retrying it would stall every tenant
                refused.add(AlertBounds.deadLetter("unreadable alert: " + e.getMessage(), "$", raw, clock.millis(),
                        AlertService.DEAD_LETTER_SOURCE, null, null));
            }
        }
    }

    private void writeInflux(List<AlertEvent> batch) {
        try {
            influx.write(batch);
        } catch (IOException e) {
            // PostgreSQL holds every alert; the InfluxDB history is best effort rather than a reason to stall.
            LOG.warn("Writing {} alerts to InfluxDB failed: {}", batch.size(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
