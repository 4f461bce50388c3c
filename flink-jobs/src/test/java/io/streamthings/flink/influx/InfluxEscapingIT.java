package io.streamthings.flink.influx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamthings.common.influx.LineProtocol;
import io.streamthings.embedded.InfluxServer;
import io.streamthings.embedded.testkit.InfluxExtension;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tag values that broke the whole batch before (a trailing backslash, a newline) and the characters line protocol
 * escapes, written the way InfluxSink writes them (LineProtocol, then influxdb-java's write of the text) to a real
 * influxd and read back.
 */
class InfluxEscapingIT {

    @RegisterExtension
    static final InfluxExtension INFLUX = new InfluxExtension();

    static InfluxServer server;
    static InfluxDB influx;

    @BeforeAll
    static void start() {
        server = INFLUX.server();
        server.createDatabase("escaping");
        influx = InfluxDBFactory.connect(server.url());
    }

    @AfterAll
    static void stop() {
        if (influx != null) {
            influx.close();
        }
    }

    @Test
    void everyTagValueIsStoredAndReadBackAsWrittenOrAsItsDocumentedSubstitute() throws Exception {
        // the value sent -> the value InfluxDB 1.x gives back
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("ends with a backslash\\", "ends with a backslash\uFF3C");
        expected.put("two\nlines", "two\\nlines");
        expected.put("a,comma", "a,comma");
        expected.put("a space", "a space");
        expected.put("k=v", "k=v");
        expected.put("back\\slash", "back\\slash");
        expected.put("back\\,comma", "back\\,comma");
        expected.put("back\\ space", "back\\ space");
        expected.put("quote\"d", "quote\"d");
        expected.put("tab\tand cr\r", "tab\tand cr\r");
        expected.put("plain", "plain");

        LineProtocol lines = new LineProtocol(1024);
        long ts = 1_764_000_000_000L;
        int n = 0;
        for (String value : expected.keySet()) {
            lines.point("telemetry", ts + n++).tag("deviceId", "d-" + n).tag("site", value).field("v", 1.0).end();
        }
        influx.write("escaping", "autogen", InfluxDB.ConsistencyLevel.ONE, TimeUnit.MILLISECONDS, lines.take());

        JsonNode rows = new ObjectMapper().readTree(server.query(
                "SELECT v, site FROM escaping.autogen.telemetry ORDER BY time")).at("/results/0/series/0/values");
        List<String> stored = new ArrayList<>();
        rows.forEach(row -> stored.add(row.get(2).asText()));
        assertThat(stored).containsExactlyElementsOf(expected.values());
    }
}
