package io.streamthings.ingest.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamthings.ingest.core.LineProtocol.Line;
import io.streamthings.ingest.core.LineProtocol.Precision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LineProtocolTest {

    @Test
    void shouldParseMeasurementTagsFieldsAndNanosecondTimestamp() {
        Line line = LineProtocol.parseLine(1, "cpu,host=a,region=eu usage=21.5,count=3i,ok=t,off=F 1764131000123000000",
                Precision.NS);

        assertThat(line.error()).isNull();
        assertThat(line.point().measurement()).isEqualTo("cpu");
        assertThat(line.point().tags()).containsExactly(Map.entry("host", "a"), Map.entry("region", "eu"));
        assertThat(line.point().fields()).containsExactly(Map.entry("usage", 21.5), Map.entry("count", 3.0),
                Map.entry("ok", 1.0), Map.entry("off", 0.0));
        assertThat(line.point().timestampMs()).isEqualTo(1_764_131_000_123L);
    }

    @Test
    void shouldConvertEachPrecisionToMilliseconds() {
        assertThat(LineProtocol.parseLine(1, "m v=1 1764131000", Precision.S).point().timestampMs())
                .isEqualTo(1_764_131_000_000L);
        assertThat(LineProtocol.parseLine(1, "m v=1 1764131000123", Precision.MS).point().timestampMs())
                .isEqualTo(1_764_131_000_123L);
        assertThat(LineProtocol.parseLine(1, "m v=1 1764131000123456", Precision.US).point().timestampMs())
                .isEqualTo(1_764_131_000_123L);
        assertThat(Precision.parse(null)).isEqualTo(Precision.NS);
        assertThat(Precision.parse("u")).isEqualTo(Precision.US);
        assertThatThrownBy(() -> Precision.parse("h")).hasMessageContaining("precision must be");
    }

    @Test
    void shouldLeaveTimestampEmptyWhenLineHasNone() {
        assertThat(LineProtocol.parseLine(1, "m v=1.5e3", Precision.NS).point().timestampMs()).isNull();
        assertThat(LineProtocol.parseLine(1, "m v=1.5e3", Precision.NS).point().fields()).containsEntry("v", 1500.0);
    }

    @Test
    void shouldUnescapeCommasSpacesAndEquals() {
        Line line = LineProtocol.parseLine(1, "my\\ meas,tag\\=k=va\\,l\\ ue f\\ 1=2u", Precision.NS);

        assertThat(line.point().measurement()).isEqualTo("my meas");
        assertThat(line.point().tags()).containsEntry("tag=k", "va,l ue");
        assertThat(line.point().fields()).containsEntry("f 1", 2.0);
    }

    @Test
    void shouldRejectStringFieldsWithAReason() {
        Line line = LineProtocol.parseLine(3, "m,host=a status=\"on, fine\",v=1", Precision.NS);

        assertThat(line.ok()).isFalse();
        assertThat(line.error()).isEqualTo("line 3: field status is a string; only numbers and booleans are accepted "
                + "as telemetry metrics");
    }

    @Test
    void shouldRejectMalformedLines() {
        assertThat(LineProtocol.parseLine(1, "m", Precision.NS).error()).contains("missing fields");
        assertThat(LineProtocol.parseLine(1, "m v=", Precision.NS).error()).contains("bad value");
        assertThat(LineProtocol.parseLine(1, "m v=abc", Precision.NS).error()).contains("bad value \"abc\"");
        assertThat(LineProtocol.parseLine(1, "m v=NaN", Precision.NS).error()).contains("bad value");
        assertThat(LineProtocol.parseLine(1, "m v=1.5d", Precision.NS).error()).contains("bad value");
        assertThat(LineProtocol.parseLine(1, "m v=-1u", Precision.NS).error()).contains("bad integer");
        assertThat(LineProtocol.parseLine(1, "m v=1 12:00", Precision.NS).error()).contains("bad timestamp");
        assertThat(LineProtocol.parseLine(1, "m,t v=1", Precision.NS).error()).contains("tag t has no value");
        assertThat(LineProtocol.parseLine(1, ",t=1 v=1", Precision.NS).error()).contains("missing measurement");
        assertThat(LineProtocol.parseLine(1, "m v=1 99999999999999999999", Precision.S).error())
                .contains("timestamp");
    }

    @Test
    void shouldSkipBlankLinesAndCommentsAndNumberLinesInTheBody() {
        List<Line> lines = LineProtocol.parse("# a comment\r\nm v=1\n\n  \nm v=oops\nm v=2", Precision.NS);

        assertThat(lines).extracting(Line::lineNumber).containsExactly(2, 5, 6);
        assertThat(lines).extracting(Line::ok).containsExactly(true, false, true);
    }
}
