package io.streamthings.standalone;

import io.streamthings.devicemgmt.DeviceMgmtConfiguration;
import io.streamthings.ingest.IngestBundle;
import io.streamthings.ingest.config.IngestConfig;
import io.streamthings.ingest.config.MqttSettings;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Ingest in the standalone platform: a bundle of the device service, whose MQTT server takes the platform's MQTT port
 * (devices connect to ingest itself: no broker in between) and whose HTTP endpoints share the service's port.
 */
final class StandaloneIngest {

    private StandaloneIngest() {}

    /**
     * The bundle to add to the device service.
     *
     * @param dataDir where a self-signed key store is kept when {@code --mqtt-tls self-signed} asked for one
     */
    static IngestBundle<DeviceMgmtConfiguration> bundle(StandaloneConfig platform, String kafkaBootstrap,
            Path dataDir) throws IOException {
        IngestConfig config = new IngestConfig().setLastSeenIntervalMs(5_000);
        config.getKafka().setBootstrapServers(kafkaBootstrap);
        config.getMqtt().setMode(MqttSettings.Mode.SERVER).setBindHost(platform.bindHost())
                .setPort(platform.mqttPort()).setTlsPort(platform.mqttTlsPort());
        if (StandaloneConfig.SELF_SIGNED.equals(platform.mqttTls())) {
            SelfSignedKeyStore.KeyStore ks = SelfSignedKeyStore.ensure(dataDir.resolve("mqtt-tls"));
            config.getMqtt().setKeyStorePath(ks.path().toString()).setKeyStorePassword(ks.password());
        } else if (!platform.mqttTls().isEmpty()) {
            config.getMqtt().setKeyStorePath(platform.mqttTls()).setKeyStorePassword(platform.mqttKeyStorePassword());
        }
        return new IngestBundle<>(host -> config);
    }
}
