package io.streamthings.ingest.http;

import java.io.IOException;

/** The body is larger than allowed; thrown while reading, before the rest of it is read. */
final class PayloadTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    private final byte[] head;

    PayloadTooLargeException(String message, byte[] head) {
        super(message);
        this.head = head;
    }

    /** What was read before the limit was passed (for the dead letter). */
    byte[] head() {
        return head;
    }
}
