package io.streamthings.rules.service;

import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.common.telemetry.TelemetryRecord;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bytes of a record the service forwards to {@code rules.by-tenant}: the stamped record as it was decoded from
 * telemetry.raw, in a compact binary form. The topic is the service's own, and the forwarded records are decoded a
 * second time by whichever instance runs the cross-device rules: in the benchmark's profile, the JSON parse of that
 * second decode cost more than the rules it fed. Every metric and tag is kept, so a rule deployed while records are
 * in flight sees the same records it would have seen on telemetry.raw.
 *
 * <p>Layout: a magic byte and a version, then tenant, deviceType, deviceId (strings: an int length and UTF-8 bytes),
 * receivedAt and ts (longs), the metrics (an int count, then name and double value each) and the tags (an int count,
 * then key and value each). A record that starts with {@code '{'} is the stamped JSON earlier versions forwarded, and
 * {@link #decode} reads it as such.
 */
final class ForwardedRecordCodec {

    private static final byte MAGIC = (byte) 0xF5;
    private static final byte VERSION = 1;

    private final TelemetryCodec json = new TelemetryCodec();
    /** Grown as needed and reused: the poll thread encodes one record at a time. */
    private byte[] buffer = new byte[512];
    private int size;

    /** The forwarded form of a record. */
    byte[] encode(StampedTelemetry telemetry) {
        size = 0;
        ensure(2);
        buffer[size++] = MAGIC;
        buffer[size++] = VERSION;
        putString(telemetry.tenant());
        putString(telemetry.deviceType());
        putString(telemetry.deviceId());
        putLong(telemetry.receivedAt());
        TelemetryRecord record = telemetry.record();
        putLong(record.ts());
        putInt(record.metrics().size());
        for (Map.Entry<String, Double> e : record.metrics().entrySet()) {
            putString(e.getKey());
            putLong(Double.doubleToRawLongBits(e.getValue()));
        }
        putInt(record.tags().size());
        for (Map.Entry<String, String> e : record.tags().entrySet()) {
            putString(e.getKey());
            putString(e.getValue());
        }
        return Arrays.copyOf(buffer, size);
    }

    /**
     * The record of forwarded bytes, binary or JSON.
     *
     * @throws IllegalArgumentException when the bytes are neither
     */
    StampedTelemetry decode(byte[] bytes) {
        if (bytes.length > 0 && bytes[0] == '{') {
            return json.decodeStamped(bytes);
        }
        if (bytes.length < 2 || bytes[0] != MAGIC || bytes[1] != VERSION) {
            throw new IllegalArgumentException("not a forwarded record");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 2, bytes.length - 2);
        try {
            String tenant = getString(in);
            String deviceType = getString(in);
            String deviceId = getString(in);
            long receivedAt = in.getLong();
            long ts = in.getLong();
            int metricCount = count(in);
            // TelemetryRecord copies both maps into its own, sized ones: these only keep the order.
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (int i = 0; i < metricCount; i++) {
                metrics.put(getString(in), Double.longBitsToDouble(in.getLong()));
            }
            int tagCount = count(in);
            Map<String, String> tags = new LinkedHashMap<>();
            for (int i = 0; i < tagCount; i++) {
                tags.put(getString(in), getString(in));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("forwarded record has " + in.remaining() + " bytes too many");
            }
            return new StampedTelemetry(tenant, deviceType, deviceId, receivedAt,
                    new TelemetryRecord(ts, metrics, tags));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("forwarded record is cut short", e);
        }
    }

    private static int count(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("forwarded record has a bad count: " + n);
        }
        return n;
    }

    private static String getString(ByteBuffer in) {
        int length = count(in);
        String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    private void putString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        putInt(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
    }

    private void putInt(int v) {
        ensure(4);
        buffer[size++] = (byte) (v >>> 24);
        buffer[size++] = (byte) (v >>> 16);
        buffer[size++] = (byte) (v >>> 8);
        buffer[size++] = (byte) v;
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
