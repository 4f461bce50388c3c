package io.streamthings.rules.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.rules.apps.ShippedApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RuleScopeTest {

    private static final String HEAD = "@App:name('x')\n"
            + "define stream TelemetryStream (deviceId string, site string, ts long, temperature double);\n";
    private static final String TABLE = "@PrimaryKey('deviceId') define table Seen (deviceId string, ts long);\n";

    @Test
    void perDevicePartitionsAndPlainFiltersRunPerInputPartition() {
        assertThat(RuleScope.deviceScoped(HEAD + "from TelemetryStream[temperature > 90.0] "
                + "select deviceId, ts, temperature * 2.0 as t insert into AlertStream;")).isTrue();
        for (String app : new String[] {"threshold-hysteresis", "n-in-a-row", "rate-of-change", "device-silent",
                "moving-average-crossing"}) {
            assertThat(RuleScope.deviceScoped(ShippedApps.named(app).appText())).as(app).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // written and read by the event's own device
        "from TelemetryStream select deviceId, ts update or insert into Seen on Seen.deviceId == deviceId;"
                + "from TelemetryStream as t join Seen as s on s.deviceId == t.deviceId and s.ts < t.ts "
                + "select t.deviceId, t.ts, s.ts as before insert into AlertStream;",
        "from TelemetryStream[not ((deviceId == Seen.deviceId) in Seen)] select deviceId, ts insert into Fresh;"
                + "from Fresh select deviceId, ts insert into Seen;"
                + "from Fresh select deviceId, ts insert into AlertStream;",
        "from TelemetryStream[temperature < 0.0] delete Seen on Seen.deviceId == deviceId;"
                + "from TelemetryStream select deviceId, ts insert into AlertStream;",
        // a device's partition writing its own row
        "partition with (deviceId of TelemetryStream) begin from TelemetryStream#window.length(2) "
                + "select deviceId, max(ts) as ts insert into Latest; end;"
                + "from Latest select deviceId, ts update or insert into Seen on Seen.deviceId == deviceId;"
                + "from Latest select deviceId, ts insert into AlertStream;",
        // every row checked against the clock, and the rows found written back by their own deviceId
        "from TelemetryStream select deviceId, ts update or insert into Seen on Seen.deviceId == deviceId;"
                + "from TelemetryStream select eventTimestamp() as now output last every 5 sec insert into Clock;"
                + "from Clock join Seen on Seen.ts + 1000L <= Clock.now select Seen.deviceId as deviceId, "
                + "Seen.ts as ts insert into Old;"
                + "from Old delete Seen on Seen.deviceId == deviceId; from Old select deviceId, ts insert into AlertStream;",
        // the row an inner join found by the device, passed on under its own deviceId
        "from TelemetryStream select deviceId, ts insert into Seen;"
                + "from TelemetryStream as t join Seen as s on s.deviceId == t.deviceId select s.deviceId as deviceId, "
                + "s.ts as ts insert into Again; from Again delete Seen on Seen.deviceId == deviceId;"
                + "from Again select deviceId, ts insert into AlertStream;",
    })
    void tablesKeyedByTheEventsOwnDeviceStayPerDevice(String body) {
        assertThat(RuleScope.deviceScoped(HEAD + TABLE + body)).isTrue();
    }

    @Test
    void anythingThatMayCorrelateDevicesRunsPerTenant() {
        assertThat(RuleScope.deviceScoped(ShippedApps.named("site-overheat").appText())).isFalse();
        assertThat(RuleScope.deviceScoped(HEAD + "from TelemetryStream#window.length(5) select deviceId, ts, "
                + "avg(temperature) as a insert into AlertStream;")).isFalse();
        assertThat(RuleScope.deviceScoped(HEAD + "from TelemetryStream select deviceId, ts, count() as n "
                + "insert into AlertStream;")).isFalse();
        assertThat(RuleScope.deviceScoped(HEAD + "from TelemetryStream select deviceId, ts, max(temperature) + 1.0 "
                + "as n insert into AlertStream;")).isFalse();
        assertThat(RuleScope.deviceScoped(HEAD + "partition with (site of TelemetryStream) begin from TelemetryStream "
                + "select deviceId, ts insert into AlertStream; end;")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // a table keyed by something else than the device
        "@PrimaryKey('site') define table BySite (site string, deviceId string, ts long);"
                + "from TelemetryStream select site, deviceId, ts update or insert into BySite on BySite.site == site;"
                + "from TelemetryStream select deviceId, ts insert into AlertStream;",
        // a row written under another device's name
        TABLE + "from TelemetryStream select site as deviceId, ts update or insert into Seen on Seen.deviceId == "
                + "deviceId; from TelemetryStream select deviceId, ts insert into AlertStream;",
        TABLE + "from TelemetryStream select 'one' as deviceId, ts insert into Seen;"
                + "from TelemetryStream select deviceId, ts insert into AlertStream;",
        // a stream whose deviceId was renamed away, then written
        TABLE + "from TelemetryStream select site as deviceId, ts insert into Renamed;"
                + "from Renamed select deviceId, ts insert into Seen;"
                + "from Renamed select deviceId, ts insert into AlertStream;",
        // writes not bound to the device's row
        TABLE + "from TelemetryStream[temperature < 0.0] delete Seen on Seen.ts < ts;"
                + "from TelemetryStream select deviceId, ts insert into AlertStream;",
        TABLE + "from TelemetryStream select deviceId, ts update Seen set Seen.ts = ts on Seen.ts < ts;"
                + "from TelemetryStream select deviceId, ts insert into AlertStream;",
        // reads of other devices' rows
        TABLE + "from TelemetryStream select deviceId, ts insert into Seen;"
                + "from TelemetryStream as t join Seen as s on s.ts < t.ts select t.deviceId, t.ts "
                + "insert into AlertStream;",
        TABLE + "from TelemetryStream select deviceId, ts insert into Seen;"
                + "from TelemetryStream[(ts == Seen.ts) in Seen] select deviceId, ts insert into AlertStream;",
        TABLE + "from TelemetryStream select deviceId, ts insert into Seen;"
                + "from TelemetryStream as t join Seen as s on s.deviceId == t.site select t.deviceId, t.ts "
                + "insert into AlertStream;",
        // a "clock" that carries another device's data, or a count across the rows it finds
        TABLE + "from TelemetryStream select deviceId, ts insert into Seen;"
                + "from TelemetryStream select eventTimestamp() as now, temperature insert into Clock;"
                + "from Clock join Seen on Seen.ts <= Clock.now select Seen.deviceId as deviceId, Clock.temperature "
                + "as t insert into AlertStream;",
        TABLE + "from TelemetryStream select deviceId, ts insert into Seen;"
                + "from TelemetryStream select eventTimestamp() as now insert into Clock;"
                + "from Clock join Seen on Seen.ts <= Clock.now select Seen.deviceId as deviceId, count() as n "
                + "insert into AlertStream;",
        TABLE + "from TelemetryStream select deviceId, ts insert into Seen;"
                + "from TelemetryStream[deviceId == 'x'] select eventTimestamp() as now insert into Clock;"
                + "from Clock join Seen on Seen.ts <= Clock.now select Seen.deviceId as deviceId, Seen.ts as ts "
                + "insert into AlertStream;",
        // the row of a left outer join may be missing: its deviceId is not the device's
        TABLE + "from TelemetryStream select deviceId, ts insert into Seen;"
                + "from TelemetryStream as t left outer join Seen as s on s.deviceId == t.deviceId "
                + "select s.deviceId as deviceId, t.ts as ts insert into Maybe;"
                + "from Maybe select deviceId, ts update or insert into Seen on Seen.deviceId == deviceId;"
                + "from Maybe select deviceId, ts insert into AlertStream;",
        // a partition reading a stream from outside it sees every device's events
        "from TelemetryStream select deviceId, ts insert into Copy;"
                + "partition with (deviceId of TelemetryStream) begin from Copy#window.length(3) "
                + "select deviceId, count() as n insert into AlertStream; end;",
    })
    void tablesThatMixDevicesRunPerTenant(String body) {
        assertThat(RuleScope.deviceScoped(HEAD + body)).as(body).isFalse();
    }

    @Test
    void stateKeyedByAnotherAttributeIsKeyedByIt() {
        assertThat(RuleScope.key(ShippedApps.named("site-overheat").appText())).isEqualTo("site");
        assertThat(RuleScope.key(ShippedApps.named("n-in-a-row").appText())).isEqualTo("deviceId");
        // a window per site, and a table of sites written and read by the event's own site
        assertThat(RuleScope.key(HEAD + "@PrimaryKey('site') define table Hot (site string, ts long);"
                + "partition with (site of TelemetryStream) begin from TelemetryStream#window.length(5) "
                + "select deviceId, site, ts, avg(temperature) as a insert into SiteAverage; end;"
                + "from SiteAverage[a > 80.0 and not ((site == Hot.site) in Hot)] select deviceId, site, ts "
                + "insert into AlertStream;"
                + "from AlertStream select site, ts update or insert into Hot on Hot.site == site;")).isEqualTo("site");
        assertThat(RuleScope.key("@App:name('x')\n"
                + "define stream TelemetryStream (deviceId string, deviceType string, ts long, temperature double);"
                + "partition with (deviceType of TelemetryStream) begin from TelemetryStream#window.length(5) "
                + "select deviceId, ts, avg(temperature) as a insert into AlertStream; end;")).isEqualTo("deviceType");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // windows across everything
        "from TelemetryStream#window.length(5) select deviceId, ts, avg(temperature) as a insert into AlertStream;",
        // a window per site, but a table per device that other sites' devices reach through the clock
        TABLE + "partition with (site of TelemetryStream) begin from TelemetryStream#window.length(5) "
                + "select deviceId, site, ts, avg(temperature) as a insert into SiteAverage; end;"
                + "from SiteAverage select deviceId, ts update or insert into Seen on Seen.deviceId == deviceId;"
                + "from SiteAverage select deviceId, ts insert into AlertStream;",
        // a table of sites written under another attribute
        "@PrimaryKey('site') define table Hot (site string, ts long);"
                + "from TelemetryStream select deviceId as site, ts update or insert into Hot on Hot.site == site;"
                + "from TelemetryStream[(site == Hot.site) in Hot] select deviceId, ts insert into AlertStream;",
        // a partition by site reading a stream from outside it
        "from TelemetryStream select deviceId, site, ts insert into Copy;"
                + "partition with (site of TelemetryStream) begin from Copy#window.length(3) "
                + "select deviceId, count() as n insert into AlertStream; end;",
    })
    void stateAcrossKeysHasNoKey(String body) {
        assertThat(RuleScope.key(HEAD + body)).as(body).isNull();
    }
}
