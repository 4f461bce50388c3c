package io.streamthings.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeviceCredentialsTest {

    @Test
    void shouldSplitIdAndTokenAtTheLastColon() {
        assertThat(DeviceCredentials.parse("Bearer site:a:d-1:tok_en-X", null))
                .contains(new DeviceCredentials("site:a:d-1", "tok_en-X"));
        assertThat(DeviceCredentials.parse("bearer d1:t", null)).contains(new DeviceCredentials("d1", "t"));
    }

    @Test
    void shouldTakeTheIdFromTheHeaderWhenGiven() {
        assertThat(DeviceCredentials.parse("Bearer tok", "d1")).contains(new DeviceCredentials("d1", "tok"));
    }

    @Test
    void shouldRefuseMissingOrMalformedCredentials() {
        assertThat(DeviceCredentials.parse(null, "d1")).isEmpty();
        assertThat(DeviceCredentials.parse("Basic abc", null)).isEmpty();
        assertThat(DeviceCredentials.parse("Bearer tokenOnly", null)).isEmpty();
        assertThat(DeviceCredentials.parse("Bearer :tok", null)).isEmpty();
        assertThat(DeviceCredentials.parse("Bearer d1:", null)).isEmpty();
        assertThat(DeviceCredentials.parse("Bearer ", "d1")).isEmpty();
    }
}
