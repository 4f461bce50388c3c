package io.streamthings.standalone;

import io.streamthings.devicemgmt.DeviceMgmtConfiguration;
import io.streamthings.embedded.MqttAccess;
import io.streamthings.ingest.IngestBundle;
import io.streamthings.ingest.auth.DeviceAccessPolicy;
import io.streamthings.ingest.auth.DeviceDirectory;
import io.streamthings.ingest.auth.ServiceAccount;
import io.streamthings.ingest.config.IngestConfig;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Ingest in the standalone platform: one device directory and access policy shared by the embedded MQTT broker
 * (who may connect, which topics) and the ingest subscriber, whose service account gets a new random password at
 * every start; ingest's HTTP endpoints and MQTT subscriber run in the device service as a bundle.
 */
final class StandaloneIngest {

    /** The internal MQTT account; it starts with '_', which no device id may. */
    static final String SERVICE_USER = "_streamthings-ingest";

    private final String servicePassword;
    private final DeviceAccessPolicy policy;

    /** @param kafkaBootstrap where the embedded Kafka will listen (it need not be up yet) */
    StandaloneIngest(String kafkaBootstrap) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.servicePassword = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        this.policy = new DeviceAccessPolicy(new DeviceDirectory(kafkaBootstrap),
                new ServiceAccount(SERVICE_USER, servicePassword));
    }

    /** The embedded broker's access rules: ingest's policy. */
    MqttAccess mqttAccess() {
        return new MqttAccess() {
            @Override
            public boolean authenticate(String clientId, String username, byte[] password) {
                return policy.authenticate(clientId, username, password);
            }

            @Override
            public boolean canPublish(String username, String topic) {
                return policy.canPublish(username, topic);
            }

            @Override
            public boolean canSubscribe(String username, String topicFilter) {
                return policy.canSubscribe(username, topicFilter);
            }

            @Override
            public int inflightWindow(String username) {
                return policy.isServiceAccount(username)
                        ? DeviceAccessPolicy.SERVICE_INFLIGHT_WINDOW
                        : MqttAccess.super.inflightWindow(username);
            }
        };
    }

    /** Starts following {@code device.credentials} (Kafka is up); returns what stops it. */
    AutoCloseable startDirectory() {
        DeviceDirectory directory = policy.directory();
        directory.start();
        return directory;
    }

    /** The bundle to add to the device service, subscribing to the embedded broker at this URI. */
    IngestBundle<DeviceMgmtConfiguration> bundle(String mqttUri, String kafkaBootstrap) {
        IngestConfig config = new IngestConfig().setLastSeenIntervalMs(5_000);
        config.getKafka().setBootstrapServers(kafkaBootstrap);
        config.getMqtt().setUri(mqttUri).setServiceUser(SERVICE_USER).setServicePassword(servicePassword);
        return new IngestBundle<>(host -> config, policy);
    }
}
