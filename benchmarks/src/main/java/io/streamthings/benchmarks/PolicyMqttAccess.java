package io.streamthings.benchmarks;

import io.streamthings.embedded.MqttAccess;
import io.streamthings.ingest.auth.DeviceAccessPolicy;
import java.util.function.Supplier;

/**
 * The embedded Moquette broker's access rules, answered by ingest's {@link DeviceAccessPolicy}. The policy may come
 * later than the broker (an application that starts after it): until then everyone is refused.
 */
public final class PolicyMqttAccess implements MqttAccess {

    private final Supplier<DeviceAccessPolicy> policy;

    public PolicyMqttAccess(DeviceAccessPolicy policy) {
        this(() -> policy);
    }

    public PolicyMqttAccess(Supplier<DeviceAccessPolicy> policy) {
        this.policy = policy;
    }

    @Override
    public boolean authenticate(String clientId, String username, byte[] password) {
        DeviceAccessPolicy p = policy.get();
        return p != null && p.authenticate(clientId, username, password);
    }

    @Override
    public boolean canPublish(String username, String topic) {
        DeviceAccessPolicy p = policy.get();
        return p != null && p.canPublish(username, topic);
    }

    @Override
    public boolean canSubscribe(String username, String topicFilter) {
        DeviceAccessPolicy p = policy.get();
        return p != null && p.canSubscribe(username, topicFilter);
    }

    @Override
    public int inflightWindow(String username) {
        DeviceAccessPolicy p = policy.get();
        return p != null && p.isServiceAccount(username)
                ? DeviceAccessPolicy.SERVICE_INFLIGHT_WINDOW
                : MqttAccess.super.inflightWindow(username);
    }
}
