package io.streamthings.devicemgmt.operations;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamthings.common.kafka.Topics;
import io.streamthings.devicemgmt.kafka.BackgroundConsumer;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code online} events on {@code device.events} (ingest writes one when a device connects over MQTT) and sends
 * the device its undelivered operations again, in creation order: the MQTT adapter keeps nothing for a device that is
 * not connected, so one offline when its operation was created gets it here. Reads only what comes after it joined:
 * an online event it missed while down is covered by the sweeper's re-send to online devices.
 */
public class DeviceOnlineConsumer extends BackgroundConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceOnlineConsumer.class);

    private final OperationService operations;

    public DeviceOnlineConsumer(OperationService operations, String bootstrapServers) {
        super("operations-online-consumer", config(bootstrapServers));
        this.operations = operations;
    }

    private static Properties config(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "device-mgmt-operations-online");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "device-mgmt-operations-online");
        return p;
    }

    @Override
    protected void consume(KafkaConsumer<String, byte[]> c) {
        c.subscribe(List.of(Topics.DEVICE_EVENTS.name()));
        while (running()) {
            ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(200));
            Set<List<String>> online = new LinkedHashSet<>();
            for (ConsumerRecord<String, byte[]> r : records) {
                try {
                    JsonNode e = Json.MAPPER.readTree(r.value());
                    if ("online".equals(e.path("type").asText()) && e.path("tenant").isTextual()
                            && e.path("deviceId").isTextual()) {
                        online.add(List.of(e.get("tenant").asText(), e.get("deviceId").asText()));
                    }
                } catch (Exception e) {
                    // not an event of interest; device.events carries other writers' records too
                }
            }
            for (List<String> device : online) {
                int n = operations.redeliver(device.get(0), device.get(1));
                if (n > 0) {
                    LOG.debug("Sent {} undelivered operations again to {}/{}", n, device.get(0), device.get(1));
                }
            }
            if (!records.isEmpty()) {
                c.commitSync();
            }
        }
    }
}
