package io.streamthings.ingest.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Reads a request body into memory, never more than a limit: the check happens while reading, so a 10 MB body costs
 * the limit and not 10 MB. Gzip bodies ({@code Content-Encoding: gzip}) are inflated here when the server did not
 * inflate them already, and the limit applies to the inflated bytes, so a small gzip bomb is refused as well.
 */
final class BoundedBody {

    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private BoundedBody() {}

    /**
     * @param contentLength the declared length, or -1
     * @param contentEncoding the {@code Content-Encoding} header, or null
     * @throws PayloadTooLargeException as soon as the body passes the limit
     * @throws IOException when the body cannot be read or is not valid gzip
     */
    static byte[] read(InputStream in, long contentLength, String contentEncoding, int limit) throws IOException {
        boolean saysGzip = contentEncoding != null && contentEncoding.toLowerCase(Locale.ROOT).contains("gzip");
        if (!saysGzip && contentLength > limit) {
            throw new PayloadTooLargeException("the body of " + contentLength + " bytes is larger than the limit of "
                    + limit + " bytes", new byte[0]);
        }
        if (in == null) {
            return new byte[0];
        }
        PushbackInputStream peek = new PushbackInputStream(in, 2);
        int b1 = peek.read();
        int b2 = b1 < 0 ? -1 : peek.read();
        if (b2 >= 0) {
            peek.unread(b2);
        }
        if (b1 >= 0) {
            peek.unread(b1);
        }
        // The server (Jetty's GzipHandler) may have inflated the body already, keeping the header: trust the bytes.
        InputStream body = b1 == GZIP_MAGIC_1 && b2 == GZIP_MAGIC_2 ? new GZIPInputStream(peek, 8192) : peek;
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(contentLength, 1024), limit));
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        int n;
        while ((n = body.read(buffer)) > 0) {
            total += n;
            if (total > limit) {
                out.write(buffer, 0, n);
                throw new PayloadTooLargeException("the body is larger than the limit of " + limit + " bytes",
                        out.toByteArray());
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
