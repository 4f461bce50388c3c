package io.streamthings.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.common.device.DeviceCredential;
import io.streamthings.common.device.DeviceCredentialCodec;
import io.streamthings.common.device.DeviceStatus;
import io.streamthings.common.device.DeviceTokens;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The policy over a directory fed by hand, as the credential topic would feed it. */
class DeviceAccessPolicyTest {

    private final DeviceDirectory directory = new DeviceDirectory("127.0.0.1:1");
    private final DeviceAccessPolicy policy = new DeviceAccessPolicy(directory,
            new ServiceAccount("_ingest", "s3cret"));

    {
        policy.admitDevices();
    }

    @Test
    void shouldRefuseDevicesUntilIngestIsSubscribedButLetTheServiceIn() {
        DeviceAccessPolicy starting = new DeviceAccessPolicy(directory, new ServiceAccount("_ingest", "s3cret"));
        String token = put("acme", "d1", DeviceStatus.ACTIVE);

        assertThat(starting.authenticate("c", "d1", bytes(token))).isFalse();
        assertThat(starting.authenticate("ingest", "_ingest", bytes("s3cret"))).isTrue();
        starting.admitDevices();
        assertThat(starting.authenticate("c", "d1", bytes(token))).isTrue();
    }

    @Test
    void shouldAdmitAnActiveDeviceWithItsTokenOnly() {
        String token = put("acme", "d1", DeviceStatus.ACTIVE);

        assertThat(policy.authenticate("c", "d1", bytes(token))).isTrue();
        assertThat(policy.authenticate("c", "d1", bytes("wrong"))).isFalse();
        assertThat(policy.authenticate("c", "d2", bytes(token))).isFalse();
        assertThat(policy.authenticate("c", null, bytes(token))).isFalse();
        assertThat(policy.authenticate("c", "d1", null)).isFalse();
    }

    @Test
    void shouldRefuseABlockedDeviceAndStopAnOpenSessionAtOnce() {
        String token = put("acme", "d1", DeviceStatus.ACTIVE);
        assertThat(policy.authenticate("c", "d1", bytes(token))).isTrue();
        assertThat(policy.canPublish("d1", "devices/d1/telemetry")).isTrue();

        putWithToken("acme", "d1", DeviceStatus.BLOCKED, token);

        assertThat(policy.canPublish("d1", "devices/d1/telemetry")).isFalse();
        assertThat(policy.authenticate("c", "d1", bytes(token))).isFalse();
        assertThat(policy.resolvePublisher("d1").reason()).isEqualTo("device d1 is BLOCKED");
    }

    @Test
    void shouldRefuseARotatedAwayTokenAndItsOpenSession() {
        String old = put("acme", "d1", DeviceStatus.ACTIVE);
        assertThat(policy.authenticate("c", "d1", bytes(old))).isTrue();

        String fresh = put("acme", "d1", DeviceStatus.ACTIVE);

        assertThat(policy.canPublish("d1", "devices/d1/telemetry")).isFalse();
        assertThat(policy.authenticate("c", "d1", bytes(old))).isFalse();
        assertThat(policy.authenticate("c", "d1", bytes(fresh))).isTrue();
        assertThat(policy.canPublish("d1", "devices/d1/telemetry")).isTrue();
    }

    @Test
    void shouldForgetADeviceOnATombstone() {
        String token = put("acme", "d1", DeviceStatus.ACTIVE);
        directory.apply("acme/d1", null);

        assertThat(policy.authenticate("c", "d1", bytes(token))).isFalse();
        assertThat(policy.resolvePublisher("d1").reason()).isEqualTo("unknown device d1");
    }

    @Test
    void shouldLetTheTokenDecideBetweenTenantsWithTheSameDeviceId() {
        String acme = put("acme", "d1", DeviceStatus.ACTIVE);
        String globex = put("globex", "d1", DeviceStatus.ACTIVE);

        assertThat(directory.authenticate("d1", acme).credential().tenant()).isEqualTo("acme");
        assertThat(directory.authenticate("d1", globex).credential().tenant()).isEqualTo("globex");
        assertThat(policy.resolvePublisher("d1").known()).as("no session tells which tenant").isFalse();

        assertThat(policy.authenticate("c", "d1", bytes(globex))).isTrue();
        assertThat(policy.resolvePublisher("d1").identity().tenant()).isEqualTo("globex");
    }

    @Test
    void shouldAdmitTheServiceAccountWithItsPasswordAndLetItSubscribeToEveryDevice() {
        assertThat(policy.authenticate("ingest", "_ingest", bytes("s3cret"))).isTrue();
        assertThat(policy.authenticate("ingest", "_ingest", bytes("guess"))).isFalse();
        assertThat(policy.canSubscribe("_ingest", "$share/g/devices/+/telemetry")).isTrue();
        assertThat(policy.canSubscribe("d1", "devices/+/telemetry")).isFalse();
    }

    @Test
    void shouldDisableTheServiceAccountWithoutAPassword() {
        DeviceAccessPolicy open = new DeviceAccessPolicy(directory, new ServiceAccount("_ingest", ""));
        assertThat(open.authenticate("ingest", "_ingest", bytes(""))).isFalse();
    }

    private String put(String tenant, String id, DeviceStatus status) {
        return putWithToken(tenant, id, status, DeviceTokens.generate());
    }

    private String putWithToken(String tenant, String id, DeviceStatus status, String token) {
        byte[] salt = DeviceTokens.newSalt();
        DeviceCredential c = new DeviceCredential(tenant, id, "thermo", "alice", status, salt,
                DeviceTokens.hash(salt, token), System.currentTimeMillis());
        directory.apply(tenant + "/" + id, DeviceCredentialCodec.encode(c));
        return token;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
