package io.streamthings.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicAclTest {

    @Test
    void shouldLetADeviceUseOnlyItsOwnPrefix() {
        assertThat(TopicAcl.deviceMayUse("t-1", "devices/t-1/telemetry")).isTrue();
        assertThat(TopicAcl.deviceMayUse("t-1", "devices/t-1/operations/+")).isTrue();
        assertThat(TopicAcl.deviceMayUse("t-1", "devices/t-1/#")).isTrue();

        assertThat(TopicAcl.deviceMayUse("t-1", "devices/t-2/telemetry")).isFalse();
        assertThat(TopicAcl.deviceMayUse("t-1", "devices/+/telemetry")).isFalse();
        assertThat(TopicAcl.deviceMayUse("t-1", "devices/#")).isFalse();
        assertThat(TopicAcl.deviceMayUse("t-1", "#")).isFalse();
        assertThat(TopicAcl.deviceMayUse("t-1", "devices/t-1")).isFalse();
        assertThat(TopicAcl.deviceMayUse("t-1", "devices/t-1/")).isFalse();
        assertThat(TopicAcl.deviceMayUse("t-1", "devices/t-10/telemetry")).isFalse();
        assertThat(TopicAcl.deviceMayUse("t-1", "$share/g/devices/t-1/telemetry")).isFalse();
    }

    @Test
    void shouldRefuseDeviceIdsThatAreWildcards() {
        assertThat(TopicAcl.deviceMayUse("+", "devices/+/telemetry")).isFalse();
        assertThat(TopicAcl.deviceMayUse("#", "devices/#/x")).isFalse();
    }

    @Test
    void shouldLetTheServiceUseEveryDeviceTopicSharedOrNot() {
        assertThat(TopicAcl.serviceMayUse("devices/+/telemetry")).isTrue();
        assertThat(TopicAcl.serviceMayUse("$share/ingest/devices/+/telemetry")).isTrue();
        assertThat(TopicAcl.serviceMayUse("devices/d1/operations")).isTrue();
        assertThat(TopicAcl.serviceMayUse("#")).isFalse();
        assertThat(TopicAcl.serviceMayUse("$SYS/broker")).isFalse();
        assertThat(TopicAcl.serviceMayUse("$share/ingest")).isFalse();
    }

    @Test
    void shouldFindTheDeviceIdOfADeviceTopic() {
        assertThat(TopicAcl.deviceIdOf("devices/t:1/telemetry")).isEqualTo("t:1");
        assertThat(TopicAcl.deviceIdOf("devices//telemetry")).isNull();
        assertThat(TopicAcl.deviceIdOf("other/t-1/telemetry")).isNull();
        assertThat(TopicAcl.deviceIdOf("devices/t-1")).isNull();
    }
}
