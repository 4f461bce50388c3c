package io.streamthings.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BoundedBodyTest {

    @Test
    void shouldReadABodyWithinTheLimit() throws IOException {
        assertThat(BoundedBody.read(stream("{\"a\":1}"), -1, null, 100)).asString().isEqualTo("{\"a\":1}");
    }

    @Test
    void shouldRefuseADeclaredLengthOverTheLimitWithoutReading() {
        InputStream never = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("must not read");
            }
        };
        assertThatThrownBy(() -> BoundedBody.read(never, 10_000_000, null, 1_000))
                .isInstanceOf(PayloadTooLargeException.class);
    }

    @Test
    void shouldStopReadingAnEndlessBodyJustPastTheLimit() {
        CountingEndless endless = new CountingEndless();
        assertThatThrownBy(() -> BoundedBody.read(endless, -1, null, 100_000))
                .isInstanceOf(PayloadTooLargeException.class);
        assertThat(endless.served).isLessThan(100_000 + 64 * 1024);
    }

    @Test
    void shouldInflateGzipAndApplyTheLimitToTheInflatedBytes() throws IOException {
        assertThat(BoundedBody.read(new ByteArrayInputStream(gzip("x".repeat(500))), -1, "gzip", 1_000))
                .hasSize(500);
        byte[] bomb = gzip("x".repeat(5_000_000));
        assertThatThrownBy(() -> BoundedBody.read(new ByteArrayInputStream(bomb), bomb.length, "gzip", 1_000_000))
                .isInstanceOf(PayloadTooLargeException.class);
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static final class CountingEndless extends InputStream {
        long served;

        @Override
        public int read() {
            served++;
            return 'x';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 'x');
            served += len;
            return len;
        }
    }
}
