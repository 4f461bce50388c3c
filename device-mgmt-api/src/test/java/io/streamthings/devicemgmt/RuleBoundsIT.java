package io.streamthings.devicemgmt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.streamthings.devicemgmt.support.Api;
import io.streamthings.devicemgmt.support.AppUnderTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rule API's resource bounds: an app beyond a static bound is refused with its line and column, and a dry run
 * past its deadline (here 1 ms, which compiling alone exceeds) is stopped and answered 422.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RuleBoundsIT {

    private static final AppUnderTest APP = AppUnderTest.create("rule_bounds_it",
            ConfigOverride.config("rules.dryRunDeadlineMs", "1"));
    static final DropwizardAppExtension<DeviceMgmtConfiguration> EXT = APP.extension();

    private static final String HOT = """
            @App:name('hot-device')
            define stream TelemetryStream (deviceId string, ts long, temperature double);
            from TelemetryStream[temperature > 90.0]
            select deviceId, ts, temperature, 'critical' as severity
            insert into AlertStream;
            """;

    private static Api api;
    private static String admin;

    @BeforeAll
    static void login() {
        api = APP.api();
        admin = api.login("admin", APP.adminPassword());
    }

    @Test
    void anAppBeyondAStaticBoundIsRefusedWithItsLineAndColumn() {
        String everyMillisecond = """
                @App:name('busy')
                define stream TelemetryStream (deviceId string, ts long, temperature double);
                define trigger Tick at every 1 millisec;
                from Tick select triggered_time as ts insert into AlertStream;
                """;
        Api.Reply reply = api.post("/api/v1/rules/validate", admin, "text/plain", everyMillisecond).assertError(400);
        assertThat(reply.json().path("line").asInt()).isEqualTo(3);
        assertThat(reply.json().path("column").asInt()).isEqualTo(1);
        assertThat(reply.json().path("message").asText()).contains("fires every 1 ms");
        api.post("/api/v1/rules", admin, "text/plain", everyMillisecond).assertError(400);

        String selfJoin = """
                @App:name('pairs')
                define stream TelemetryStream (deviceId string, ts long, temperature double);
                from TelemetryStream#window.length(100000) as a join TelemetryStream#window.length(100000) as b
                  on a.deviceId == b.deviceId
                select a.deviceId as deviceId, b.ts as ts insert into AlertStream;
                """;
        Api.Reply join = api.post("/api/v1/rules/validate", admin, "text/plain", selfJoin).assertError(400);
        assertThat(join.json().path("line").asInt()).isEqualTo(3);
        assertThat(join.json().path("message").asText()).contains("pairs, more than the 1,000,000 allowed");
    }

    @Test
    void aDryRunPastItsDeadlineIsAnswered422() throws Exception {
        String request = """
                {"app": %s, "events": [
                  {"deviceId": "d1", "ts": 1000, "metrics": {"temperature": 95.5}},
                  {"deviceId": "d2", "ts": 2000, "metrics": {"temperature": 20.0}}
                ]}""".formatted(new ObjectMapper().writeValueAsString(HOT));

        JsonNode reply = api.post("/api/v1/rules/validate", admin, request).assertError(422).json();

        assertThat(reply.path("message").asText()).startsWith("the dry run took longer than its 1 ms deadline");
        // without events nothing runs: validation alone has no deadline to meet
        api.post("/api/v1/rules/validate", admin, "text/plain", HOT).assertStatus(200);
    }
}
