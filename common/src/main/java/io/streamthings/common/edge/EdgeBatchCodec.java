package io.streamthings.common.edge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JSON form of an {@link EdgeBatch}, with Jackson's streaming API only; each record's object is written and read
 * byte for byte, so the edge stores it once and the platform decodes it with the codec of its kind:
 *
 * <pre>{"epoch":"5f0c...","records":[{"seq":41,"alert":{...AlertCodec...}},{"seq":42,"telemetry":{"ts":...}}]}</pre>
 */
public final class EdgeBatchCodec {

    private static final JsonFactory FACTORY = new JsonFactory();

    private EdgeBatchCodec() {}

    /** The batch as UTF-8 JSON. */
    public static byte[] encode(EdgeBatch batch) {
        int size = 64;
        for (EdgeBatch.Entry e : batch.records()) {
            size += e.json().length + 32;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("epoch", batch.epoch());
            g.writeArrayFieldStart("records");
            for (EdgeBatch.Entry e : batch.records()) {
                g.writeStartObject();
                g.writeNumberField("seq", e.seq());
                g.writeFieldName(e.kind() == EdgeBatch.Kind.ALERT ? "alert" : "telemetry");
                g.writeRawValue(new String(e.json(), java.nio.charset.StandardCharsets.UTF_8));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /**
     * Reads a batch. The records' own objects are not checked here: decode them with the codec of their kind.
     *
     * @throws IllegalArgumentException when the input is not such an object, a record lacks its seq or its body, or
     *     has both kinds
     */
    public static EdgeBatch decode(byte[] json) {
        if (json == null) {
            throw new IllegalArgumentException("an edge batch is null");
        }
        String epoch = null;
        List<EdgeBatch.Entry> records = null;
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("an edge batch must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "epoch" -> {
                        if (t != JsonToken.VALUE_STRING) {
                            throw new IllegalArgumentException("epoch: expected a string");
                        }
                        epoch = p.getText();
                    }
                    case "records" -> records = records(p, t, json);
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (epoch == null || records == null) {
            throw new IllegalArgumentException("an edge batch needs epoch and records");
        }
        return new EdgeBatch(epoch, records);
    }

    private static List<EdgeBatch.Entry> records(JsonParser p, JsonToken t, byte[] json) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("records: expected an array");
        }
        List<EdgeBatch.Entry> records = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("records[" + records.size() + "]: expected an object");
            }
            Long seq = null;
            EdgeBatch.Kind kind = null;
            byte[] body = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "seq" -> {
                        if (v != JsonToken.VALUE_NUMBER_INT) {
                            throw new IllegalArgumentException("records[" + records.size() + "].seq: expected an "
                                    + "integer");
                        }
                        seq = p.getLongValue();
                    }
                    case "alert", "telemetry" -> {
                        if (kind != null) {
                            throw new IllegalArgumentException("records[" + records.size() + "]: both alert and "
                                    + "telemetry");
                        }
                        if (v != JsonToken.START_OBJECT) {
                            throw new IllegalArgumentException("records[" + records.size() + "]." + name
                                    + ": expected an object");
                        }
                        kind = name.equals("alert") ? EdgeBatch.Kind.ALERT : EdgeBatch.Kind.TELEMETRY;
                        int start = (int) p.currentTokenLocation().getByteOffset();
                        p.skipChildren();
                        int end = (int) p.currentLocation().getByteOffset();
                        body = Arrays.copyOfRange(json, start, end);
                    }
                    default -> p.skipChildren();
                }
            }
            if (seq == null || kind == null) {
                throw new IllegalArgumentException("records[" + records.size() + "] needs seq and alert or telemetry");
            }
            if (seq <= 0) {
                throw new IllegalArgumentException("records[" + records.size() + "].seq must be positive");
            }
            records.add(new EdgeBatch.Entry(seq, kind, body));
        }
        return records;
    }
}
