package io.streamthings.flink.realtime;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The JSON the job writes to Kafka: window aggregates for {@code telemetry.agg} and device events. */
public final class AggregateJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private AggregateJson() {
    }

    /**
     * A window aggregate as compact JSON, e.g.
     * <pre>{"tenant":"acme","deviceType":"thermostat","deviceId":"t-17","metric":"temperature",
     * "windowStart":1764131040000,"windowEnd":1764131100000,"count":60,"min":20.5,"max":22.0,"sum":1290.0,
     * "mean":21.5,"last":21.7,"lastTs":1764131099000,"p95":21.9,"firing":0}</pre>
     */
    public static byte[] aggregate(WindowAggregate a) {
        ByteArrayBuilder out = new ByteArrayBuilder(320);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("tenant", a.tenant());
            g.writeStringField("deviceType", a.deviceType());
            g.writeStringField("deviceId", a.deviceId());
            g.writeStringField("metric", a.metric());
            g.writeNumberField("windowStart", a.windowStart());
            g.writeNumberField("windowEnd", a.windowEnd());
            g.writeNumberField("count", a.count());
            g.writeNumberField("min", a.min());
            g.writeNumberField("max", a.max());
            g.writeNumberField("sum", a.sum());
            g.writeNumberField("mean", a.mean());
            g.writeNumberField("last", a.last());
            g.writeNumberField("lastTs", a.lastTs());
            g.writeNumberField("p95", a.p95());
            g.writeNumberField("firing", a.firing());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A device event: {@code {"type":"offline","tenant":"acme","deviceId":"t-17","ts":1764131000456}}. */
    public static byte[] deviceEvent(DeviceEvent e) {
        ByteArrayBuilder out = new ByteArrayBuilder(128);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("type", e.type());
            g.writeStringField("tenant", e.tenant());
            g.writeStringField("deviceId", e.deviceId());
            g.writeNumberField("ts", e.ts());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }
}
