package io.streamthings.devicemgmt.kafka;

import io.dropwizard.lifecycle.Managed;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka consumer on a thread of its own for the service's life: it survives Kafka being down (a fresh consumer
 * after a pause) and stops promptly (a wakeup). Subclasses say what to read and what to do with it.
 */
public abstract class BackgroundConsumer implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundConsumer.class);

    private final String name;
    private final Properties config;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    /** @param config consumer settings; the deserializers are this class's (String keys, byte[] values) */
    protected BackgroundConsumer(String name, Properties config) {
        this.name = name;
        this.config = config;
    }

    /** Reads until {@link #running()} turns false; a RuntimeException restarts it with a fresh consumer. */
    protected abstract void consume(KafkaConsumer<String, byte[]> consumer) throws InterruptedException;

    /** False once the service is stopping. */
    protected boolean running() {
        return running;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(10_000);
        }
    }

    private void loop() {
        int failures = 0;
        while (running) {
            try (KafkaConsumer<String, byte[]> c =
                    new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer = c;
                consume(c);
                failures = 0;
            } catch (WakeupException | InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    // Once per outage (then every 100th try), not every second while Kafka is down.
                    if (failures++ % 100 == 0) {
                        LOG.warn("{} failed, starting again in 1 s: {}", name, e.toString());
                    }
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }
}
