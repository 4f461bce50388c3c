package io.streamthings.common.influx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WindowSeriesTest {

    private static final WindowPoint HOUR = WindowPoint.of("acme", "thermo", "d 1", "temperature", 1_764_129_600_000L,
            4, 19.5, 23.0, 86.0, 21.5, 1_764_133_199_000L, 22.75, 1_764_133_199_400L);

    @Test
    void shouldWriteEveryWindowSeriesWithTheSameTagsAndFieldsIntoItsOwnMeasurement() {
        LineProtocol out = new LineProtocol(512);

        WindowSeries.HOUR.write(HOUR, out);
        WindowSeries.DAY.write(HOUR, out);

        String fields = ",deviceId=d\\ 1,deviceType=thermo,metric=temperature,tenant=acme count=4i,last=21.5,"
                + "lastTs=1764133199000i,max=23.0,maxReceivedAt=1764133199400i,mean=21.5,min=19.5,p95=22.75,sum=86.0 "
                + "1764129600000\n";
        assertThat(out.take()).isEqualTo("telemetry_1h" + fields + "telemetry_1d" + fields);
    }

    @Test
    void shouldNameTheMeasurementPolicyAndWindowOfEachSeries() {
        assertThat(WindowSeries.MINUTE.measurement()).isEqualTo("telemetry_1m");
        assertThat(WindowSeries.HOUR.retentionPolicy()).isEqualTo("rp_1h");
        assertThat(WindowSeries.DAY.windowMs()).isEqualTo(86_400_000L);
    }

    @Test
    void shouldLeaveAnEmptyWindowsMeanOut() {
        LineProtocol out = new LineProtocol(256);

        WindowSeries.MINUTE.write(WindowPoint.of("acme", "thermo", "d", "m", 0, 0, 0, 0, 0, 0, 0, 0, 0), out);

        assertThat(out.take()).doesNotContain("mean=");
    }

    @Test
    void shouldRollUpWindowsAsTheirReadingsWouldAggregate() {
        WindowPoint a = WindowPoint.of("acme", "thermo", "d", "m", 0, 2, 1.0, 5.0, 6.0, 5.0, 50_000, 4.0, 51_000);
        WindowPoint b = WindowPoint.of("acme", "thermo", "d", "m", 60_000, 1, 3.0, 3.0, 3.0, 3.0, 70_000, 3.0, 90_000);

        WindowPoint hour = WindowPoint.rollup(0, List.of(b, a));

        assertThat(hour).isEqualTo(WindowPoint.of("acme", "thermo", "d", "m", 0, 3, 1.0, 5.0, 9.0, 3.0, 70_000, 4.0,
                90_000));
        assertThat(hour.mean()).isEqualTo(3.0);
    }
}
