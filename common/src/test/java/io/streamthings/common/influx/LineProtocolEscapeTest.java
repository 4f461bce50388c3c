package io.streamthings.common.influx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LineProtocolEscapeTest {

    private static String line(String tagValue) {
        LineProtocol lines = new LineProtocol(64);
        lines.point("m", 1L).tag("site", tagValue).field("v", 1.0).end();
        return lines.take();
    }

    @Test
    void shouldEscapeSpaceCommaAndEqualsInATagValue() {
        assertThat(line("a b,c=d")).isEqualTo("m,site=a\\ b\\,c\\=d v=1.0 1\n");
    }

    @Test
    void shouldKeepABackslashInsideATagValueAsItIs() {
        // InfluxDB 1.x keeps a backslash that escapes nothing; before a comma it reads "\\," back as "\,"
        assertThat(line("a\\b")).isEqualTo("m,site=a\\b v=1.0 1\n");
        assertThat(line("a\\,b")).isEqualTo("m,site=a\\\\,b v=1.0 1\n");
    }

    @Test
    void shouldWriteATrailingBackslashSoThatItCannotEscapeTheSeparator() {
        assertThat(line("C:\\temp\\")).isEqualTo("m,site=C:\\temp\uFF3C v=1.0 1\n");
        assertThat(line("\\")).isEqualTo("m,site=\uFF3C v=1.0 1\n");
    }

    @Test
    void shouldKeepANewlineInATagValueFromSplittingTheLine() {
        String line = line("first\nsecond\n");
        assertThat(line).isEqualTo("m,site=first\\nsecond\\n v=1.0 1\n");
        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
    }

    @Test
    void shouldQuoteAFieldStringEscapingOnlyBackslashAndQuote() {
        StringBuilder out = new StringBuilder();
        LineProtocol.appendFieldString(out, "say \"hi\"\\\nbye\\");
        assertThat(out).hasToString("\"say \\\"hi\\\"\\\\\nbye\\\\\"");
    }
}
