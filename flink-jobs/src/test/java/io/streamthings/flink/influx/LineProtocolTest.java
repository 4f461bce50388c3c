package io.streamthings.flink.influx;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.common.influx.LineProtocol;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.influxdb.dto.Point;
import org.junit.jupiter.api.Test;

class LineProtocolTest {

    private static final String[] NAMES = {"a", "b b", "c,c", "d=d", "tenant", "deviceId", "site", "é", "z", "Z"};
    private static final String[] VALUES = {"x", "plant a", "1,2", "k=v", "", "ünï", "q\"q", "back\\slash"};

    @Test
    void shouldWriteWhatInfluxdbJavaWritesForTheSamePoint() {
        // Given random points: repeated and unsorted keys, characters to escape, empty tag values, and floats from
        // 1e-300 to 1e300, negative, zero, NaN and infinite, plus integers
        Random random = new Random(11);
        LineProtocol lines = new LineProtocol(64);
        for (int n = 0; n < 5_000; n++) {
            long time = random.nextLong() >>> 20;
            String measurement = random.nextInt(10) == 0 ? "m e,a=s" : "telemetry";
            Point.Builder point = Point.measurement(measurement).time(time, TimeUnit.MILLISECONDS);
            lines.point(measurement, time);
            int tags = random.nextInt(6);
            for (int i = 0; i < tags; i++) {
                String key = NAMES[random.nextInt(NAMES.length)];
                String value = VALUES[random.nextInt(VALUES.length)];
                point.tag(key, value);
                lines.tag(key, value);
            }
            int fields = 1 + random.nextInt(12);
            for (int i = 0; i < fields; i++) {
                String key = NAMES[random.nextInt(NAMES.length)];
                if (random.nextInt(4) == 0) {
                    long value = random.nextLong() >> random.nextInt(64);
                    point.addField(key, value);
                    lines.field(key, value);
                } else {
                    double value = aDouble(random);
                    point.addField(key, value);
                    lines.field(key, value);
                }
            }
            lines.end();
            String line = point.build().lineProtocol(TimeUnit.MILLISECONDS);
            // Then the text is the same, byte for byte (a point whose every field is NaN or infinite is no line)
            assertThat(lines.take()).isEqualTo(line.isEmpty() ? "" : line + "\n");
            assertThat(lines.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldDropAPointLeftWithoutFieldsAndCountTheOthers() {
        LineProtocol lines = new LineProtocol(64);
        lines.point("m", 1).tag("t", "v").field("f", Double.NaN).end();
        lines.point("m", 2).field("f", 1.5).field("g", 3L).end();
        assertThat(lines.lines()).isEqualTo(1);
        assertThat(lines.take()).isEqualTo("m f=1.5,g=3i 2\n");
    }

    private static double aDouble(Random random) {
        switch (random.nextInt(10)) {
            case 0:
                return Double.NaN;
            case 1:
                return random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 2:
                return random.nextBoolean() ? 0.0 : -0.0;
            case 3:
                return random.nextInt(1000) / 10.0;
            default:
                double magnitude = Math.pow(10, random.nextInt(601) - 300);
                return (random.nextDouble() - 0.5) * magnitude;
        }
    }
}
