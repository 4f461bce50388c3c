package io.streamthings.devicemgmt.analytics;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamthings.embedded.Ports;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfluxQueryClientTest {

    @Test
    void shouldReportAnUnreachableInfluxDbAsUnavailable() {
        InfluxQueryClient client = new InfluxQueryClient("http://127.0.0.1:" + Ports.free() + "/", "streamthings",
                new ObjectMapper());

        assertThatThrownBy(() -> client.query("SELECT 1", Map.of()))
                .isInstanceOf(InfluxUnavailableException.class)
                .hasMessage("the time-series store is unavailable");
    }
}
