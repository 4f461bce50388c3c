package io.streamthings.standalone;

import io.streamthings.devicemgmt.DeviceMgmtConfiguration;
import io.streamthings.ingest.IngestBundle;
import io.streamthings.ingest.config.IngestConfig;
import io.streamthings.ingest.config.MqttSettings;

/**
 * Ingest in the standalone platform: a bundle of the device service, whose MQTT server takes the platform's MQTT port
 * (devices connect to ingest itself: no broker in between) and whose HTTP endpoints share the service's port.
 */
final class StandaloneIngest {

    private StandaloneIngest() {}

    /** The bundle to add to the device service. */
    static IngestBundle<DeviceMgmtConfiguration> bundle(StandaloneConfig platform, String kafkaBootstrap) {
        IngestConfig config = new IngestConfig().setLastSeenIntervalMs(5_000);
        config.getKafka().setBootstrapServers(kafkaBootstrap);
        config.getMqtt().setMode(MqttSettings.Mode.SERVER).setBindHost(platform.bindHost())
                .setPort(platform.mqttPort());
        return new IngestBundle<>(host -> config);
    }
}
