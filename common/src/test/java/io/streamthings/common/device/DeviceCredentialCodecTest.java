package io.streamthings.common.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeviceCredentialCodecTest {

    private static final String TOKEN = DeviceTokens.generate();
    private static final byte[] SALT = DeviceTokens.newSalt();
    private static final DeviceCredential CREDENTIAL = new DeviceCredential(
            "acme", "sensor-1", "thermometer", "alice", DeviceStatus.ACTIVE, SALT, DeviceTokens.hash(SALT, TOKEN),
            1764131000123L);

    @Test
    void shouldRoundTripEveryField() {
        DeviceCredential decoded = DeviceCredentialCodec.decode(DeviceCredentialCodec.encode(CREDENTIAL));

        assertThat(decoded).isEqualTo(CREDENTIAL);
        assertThat(decoded.admits(TOKEN)).isTrue();
    }

    @Test
    void shouldIgnoreUnknownFieldsFromANewerWriter() {
        String json = new String(DeviceCredentialCodec.encode(CREDENTIAL), StandardCharsets.UTF_8)
                .replace("{", "{\"future\":{\"nested\":[1,2]},");

        assertThat(DeviceCredentialCodec.decode(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(CREDENTIAL);
    }

    @Test
    void shouldNotAdmitABlockedDeviceEvenWithTheRightToken() {
        DeviceCredential blocked = new DeviceCredential("acme", "sensor-1", "thermometer", "alice",
                DeviceStatus.BLOCKED, SALT, DeviceTokens.hash(SALT, TOKEN), 1L);

        assertThat(blocked.admits(TOKEN)).isFalse();
    }

    @Test
    void shouldRejectMissingFieldsBadStatusAndMalformedJson() {
        assertThatThrownBy(() -> decode("{\"tenant\":\"acme\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing field");
        String badStatus = new String(DeviceCredentialCodec.encode(CREDENTIAL), StandardCharsets.UTF_8)
                .replace("ACTIVE", "HAPPY");
        assertThatThrownBy(() -> decode(badStatus)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> decode("{not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> decode("[]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeviceCredentialCodec.decode(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldCopyByteArraysSoTheRecordStaysImmutable() {
        byte[] salt = DeviceTokens.newSalt();
        DeviceCredential credential = new DeviceCredential("t", "d", "x", "o", DeviceStatus.ACTIVE, salt,
                DeviceTokens.hash(salt, TOKEN), 1L);

        salt[0]++;
        credential.salt()[0]++;

        assertThat(credential.admits(TOKEN)).isTrue();
    }

    private static DeviceCredential decode(String json) {
        return DeviceCredentialCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    }
}
