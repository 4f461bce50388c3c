package io.streamthings.rules.service;

import io.streamthings.common.alert.AlertBounds;
import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.alert.InvalidAlertException;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.DeadLetter;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.rules.engine.AlertListener;
import io.streamthings.rules.engine.EmittedAlert;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the rules emit into alerts on {@code alerts}, held to {@link AlertBounds}; one beyond them goes to
 * {@code alerts.dlq} with the reason, and the exception thrown back counts it as an error of the rule that emitted it.
 * Sent without waiting: the checkpoint flushes the producer before it writes a snapshot.
 */
final class AlertSender implements AlertListener {

    private static final Logger LOG = LoggerFactory.getLogger(AlertSender.class);
    private static final TelemetryCodec DEAD_LETTERS = new TelemetryCodec();

    private final Producer<String, byte[]> producer;
    private final Clock clock;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();

    AlertSender(Producer<String, byte[]> producer, Clock clock) {
        this.producer = producer;
        this.clock = clock;
    }

    @Override
    public void onAlert(EmittedAlert a) {
        AlertEvent alert = new AlertEvent(a.tenant(), "rule", a.rule(), a.deviceId(), a.severity(), a.message(),
                a.ts(), clock.millis(), a.values());
        AlertEvent bounded;
        try {
            bounded = AlertBounds.bound(alert);
        } catch (InvalidAlertException e) {
            DeadLetter letter = AlertBounds.deadLetter(e.getMessage(), e.field(), Topics.ALERTS.encodeValue(alert),
                    clock.millis(), "rules", a.tenant(), a.deviceId());
            producer.send(new ProducerRecord<>(Topics.ALERTS_DLQ.name(), a.tenant(),
                    DEAD_LETTERS.encodeDeadLetter(letter)));
            deadLettered.incrementAndGet();
            throw new IllegalArgumentException("alert refused, sent to " + Topics.ALERTS_DLQ.name() + ": "
                    + e.getMessage(), e);
        }
        producer.send(new ProducerRecord<>(Topics.ALERTS.name(), bounded.kafkaKey(), Topics.ALERTS.encodeValue(bounded)),
                (metadata, error) -> {
                    if (error != null) {
                        sendFailures.incrementAndGet();
                        LOG.warn("An alert of rule {} could not be sent: {}", a.rule(), error.toString());
                    }
                });
        sent.incrementAndGet();
    }

    /** Alerts sent to Kafka. */
    long sent() {
        return sent.get();
    }

    /** Alerts beyond their bounds, sent to alerts.dlq instead. */
    long deadLettered() {
        return deadLettered.get();
    }
}
