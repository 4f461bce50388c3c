package io.streamthings.devicemgmt.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamthings.common.alert.AlertEvent;
import io.streamthings.embedded.InfluxServer;
import io.streamthings.embedded.testkit.InfluxExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Alert firings whose tags and texts broke the InfluxDB write before (a rule name or device id ending in a backslash,
 * a newline, a backslash doubled on the way) written to a real influxd and read back.
 */
class InfluxAlertWriterIT {

    @RegisterExtension
    static final InfluxExtension INFLUX = new InfluxExtension();

    static InfluxServer server;

    @BeforeAll
    static void start() {
        server = INFLUX.server();
        server.createDatabase("alerts_it");
    }

    @Test
    void alertTagsAndTextsAreReadBackAsWrittenOrAsTheirDocumentedSubstitute() throws Exception {
        InfluxAlertWriter writer = new InfluxAlertWriter(server.url(), "alerts_it");
        long ts = 1_764_000_000_000L;
        writer.write(List.of(
                new AlertEvent("acme", "rule", "path\\rule", "C:\\dev\\", "critical", "line one\nline \"two\" \\",
                        ts, ts, Map.of("site", "a,b c=d", "note", "ends\\")),
                new AlertEvent("acme", "rule", "two\nlines", "d 1", "major", "ok", ts + 1, ts + 1, Map.of())));

        JsonNode rows = new ObjectMapper().readTree(server.query("SELECT rule, deviceId, message, site, note FROM "
                + "alerts_it.autogen.alerts ORDER BY time")).at("/results/0/series/0/values");
        assertThat(rows).hasSize(2);
        JsonNode first = rows.get(0);
        assertThat(first.get(1).asText()).isEqualTo("path\\rule");
        assertThat(first.get(2).asText()).isEqualTo("C:\\dev\uFF3C");
        assertThat(first.get(3).asText()).isEqualTo("line one\nline \"two\" \\");
        assertThat(first.get(4).asText()).isEqualTo("a,b c=d");
        assertThat(first.get(5).asText()).isEqualTo("ends\\");
        JsonNode second = rows.get(1);
        assertThat(second.get(1).asText()).isEqualTo("two\\nlines");
        assertThat(second.get(2).asText()).isEqualTo("d 1");
    }
}
