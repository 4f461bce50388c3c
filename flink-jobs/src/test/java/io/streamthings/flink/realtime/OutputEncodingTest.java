package io.streamthings.flink.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.common.device.DeviceEvent;
import io.streamthings.common.device.DeviceEvent.Kind;
import io.streamthings.common.influx.LineProtocol;
import java.nio.charset.StandardCharsets;
import org.influxdb.dto.Point;
import org.junit.jupiter.api.Test;

class OutputEncodingTest {

    private static final WindowAggregate AGG = new WindowAggregate("acme", "thermo", "t-17", "temperature",
            1_764_131_040_000L, 1_764_131_100_000L, 3, 19.0, 25.0, 64.0, 64.0 / 3, 22.0, 1_764_131_099_000L, 25.0, 1,
            1_764_131_099_500L);

    @Test
    void shouldBuildTheRawPointWithIdentityAndRecordTagsAndOneFieldPerMetricAtTheRecordTime() {
        TelemetryEvent e = new TelemetryEvent("acme", "thermo", "t-17", 9, 1_764_131_000_123L,
                new String[] {"temperature", "humidity"}, new double[] {21.5, 40.25}, new String[] {"site"},
                new String[] {"plant a"});
        assertThat(InfluxPoints.raw(e).lineProtocol(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(
                "telemetry,deviceId=t-17,deviceType=thermo,site=plant\\ a,tenant=acme humidity=40.25,temperature=21.5"
                        + " 1764131000123");
    }

    @Test
    void shouldBuildTheAggregatePointAtTheWindowStartSoThatALaterFiringOverwritesIt() {
        Point p = InfluxPoints.aggregate(AGG);
        assertThat(p.lineProtocol(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(
                "telemetry_1m,deviceId=t-17,deviceType=thermo,metric=temperature,tenant=acme count=3i,last=22.0,"
                        + "lastTs=1764131099000i,max=25.0,maxReceivedAt=1764131099500i,mean=21.333333333333332,min=19.0,p95=25.0,"
                        + "sum=64.0"
                        + " 1764131040000");
        assertThat(InfluxPoints.aggregate(AGG).lineProtocol()).isEqualTo(p.lineProtocol());
    }

    @Test
    void shouldBuildTheLatePointAtTheReadingsOwnTime() {
        Point p = InfluxPoints.late(new MetricSample("acme", "thermo", "t-17", "temperature", 99.0, 1_000, 2_000));
        assertThat(p.lineProtocol(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(
                "telemetry_late,deviceId=t-17,deviceType=thermo,metric=temperature,tenant=acme receivedAt=2000i,"
                        + "value=99.0 1000");
    }

    @Test
    void shouldWriteTheSameLineProtocolAsThePointsOfInfluxdbJava() {
        TelemetryEvent e = new TelemetryEvent("acme", "thermo", "t-17", 9, 1_764_131_000_123L,
                new String[] {"temperature", "humidity"}, new double[] {21.5, 40.25}, new String[] {"site", "zone"},
                new String[] {"plant a", "z,1"});
        MetricSample late = new MetricSample("acme", "thermo", "t-17", "temperature", 99.0, 1_000, 2_000);
        LineProtocol lines = new LineProtocol(64);
        InfluxPoints.raw(e, lines);
        InfluxPoints.aggregate(AGG, lines);
        InfluxPoints.late(late, lines);
        java.util.concurrent.TimeUnit ms = java.util.concurrent.TimeUnit.MILLISECONDS;
        assertThat(lines.take()).isEqualTo(InfluxPoints.raw(e).lineProtocol(ms) + "\n"
                + InfluxPoints.aggregate(AGG).lineProtocol(ms) + "\n" + InfluxPoints.late(late).lineProtocol(ms) + "\n");
    }

    @Test
    void shouldEncodeTheAggregateAsCompactJson() {
        assertThat(new String(AggregateJson.aggregate(AGG), StandardCharsets.UTF_8)).isEqualTo(
                "{\"tenant\":\"acme\",\"deviceType\":\"thermo\",\"deviceId\":\"t-17\",\"metric\":\"temperature\","
                        + "\"windowStart\":1764131040000,\"windowEnd\":1764131100000,\"count\":3,\"min\":19.0,"
                        + "\"max\":25.0,\"sum\":64.0,\"mean\":21.333333333333332,\"last\":22.0,"
                        + "\"lastTs\":1764131099000,\"p95\":25.0,\"firing\":1}");
    }

    @Test
    void shouldWriteTheSameJsonAsJacksonsGeneratorWhateverTheStringsAndNumbers() throws Exception {
        String[] strings = {"plain", "quote\"back\\slash", "ctl\b\t\n\f\r\u0001\u001f\u007f", "ünï 中文 😀",
            "lone \uD800 high and \uDC00 low", "", "/slash"};
        double[] numbers = {0.0, -0.0, 1e-7, 1e21, 123456.789, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN,
            Double.POSITIVE_INFINITY, -3.5};
        StringBuilder scratch = new StringBuilder();
        for (String text : strings) {
            for (double x : numbers) {
                WindowAggregate a = new WindowAggregate(text, text, "d-" + text, text, -1, Long.MAX_VALUE, 7, x, -x,
                        x, x / 3, x, Long.MIN_VALUE, x, 2, 0);
                assertThat(AggregateJson.aggregate(a, scratch)).isEqualTo(jackson(a));
                if (!text.isBlank()) {
                    DeviceEvent e = DeviceEvent.presence(Kind.SEEN, text, text, -42);
                    assertThat(new KafkaSerializers.Events("events").serialize(e, null, null).value())
                            .isEqualTo(jackson(e));
                }
            }
        }
    }

    private interface Fields {
        void write(com.fasterxml.jackson.core.JsonGenerator g) throws java.io.IOException;
    }

    /** What the job wrote before: an object from Jackson's UTF-8 generator with its defaults. */
    private static byte[] jackson(Fields fields) throws java.io.IOException {
        com.fasterxml.jackson.core.util.ByteArrayBuilder out = new com.fasterxml.jackson.core.util.ByteArrayBuilder();
        try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory()
                .createGenerator(out, com.fasterxml.jackson.core.JsonEncoding.UTF8)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static byte[] jackson(WindowAggregate a) throws java.io.IOException {
        return jackson(g -> {
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
        });
    }

    private static byte[] jackson(DeviceEvent e) throws java.io.IOException {
        return jackson(g -> {
            g.writeStringField("type", e.kind().wireName());
            g.writeStringField("tenant", e.tenant());
            g.writeStringField("deviceId", e.deviceId());
            g.writeNumberField("ts", e.ts());
        });
    }

    @Test
    void shouldEncodeDeviceEventsAsTheRegistryReadsThem() {
        var record = new KafkaSerializers.Events("events").serialize(
                DeviceEvent.presence(Kind.OFFLINE, "acme", "t-17", 42), null, null);

        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("acme/t-17");
        assertThat(new String(record.value(), StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":\"offline\",\"tenant\":\"acme\",\"deviceId\":\"t-17\",\"ts\":42}");
    }

    @Test
    void shouldCreateTheDatabaseAndEveryRetentionPolicyWithItsConfiguredDuration() {
        RetentionPolicies policies = RetentionPolicies.of(RealtimeJobConfig.builder()
                .set(RealtimeJobConfig.Option.RETENTION_RAW, "3d").build());
        assertThat(policies.createStatements()).containsExactly(
                "CREATE DATABASE \"streamthings\"",
                "CREATE RETENTION POLICY \"raw\" ON \"streamthings\" DURATION 3d REPLICATION 1",
                "CREATE RETENTION POLICY \"rp_1d\" ON \"streamthings\" DURATION INF REPLICATION 1",
                "CREATE RETENTION POLICY \"rp_1h\" ON \"streamthings\" DURATION INF REPLICATION 1",
                "CREATE RETENTION POLICY \"rp_1m\" ON \"streamthings\" DURATION 90d REPLICATION 1");
        assertThat(policies.alterStatement("raw"))
                .isEqualTo("ALTER RETENTION POLICY \"raw\" ON \"streamthings\" DURATION 3d REPLICATION 1");
    }
}
