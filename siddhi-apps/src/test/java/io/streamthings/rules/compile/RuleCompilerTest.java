package io.streamthings.rules.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamthings.rules.compile.TelemetryAttribute.Kind;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RuleCompilerTest {

    /** Two lines: the queries of the apps below start on line 3. */
    private static final String HEAD = """
            @App:name('r')
            define stream TelemetryStream (deviceId string, ts long, temperature double);
            """;

    /** The valid example of API.md, "Rule apps". */
    private static final String HOT_DEVICE = """
            @App:name('hot-device')
            define stream TelemetryStream (deviceId string, ts long, temperature double);
            from TelemetryStream[temperature > 90.0]
            select deviceId, ts, temperature, 'critical' as severity
            insert into AlertStream;
            """;

    private static final RuleCompiler COMPILER = new RuleCompiler();

    // ---- accepted apps

    @Test
    void shouldCompileTheHotDeviceExampleOfApiMd() {
        CompiledRule rule = COMPILER.compile(HOT_DEVICE);

        assertThat(rule.name()).isEqualTo("hot-device");
        assertThat(rule.appText()).isEqualTo(HOT_DEVICE);
        assertThat(rule.inputAttributes()).containsExactly(new TelemetryAttribute("deviceId", Kind.DEVICE_ID),
                new TelemetryAttribute("ts", Kind.TS), new TelemetryAttribute("temperature", Kind.METRIC));
        assertThat(rule.alertAttributes()).containsExactly("deviceId", "ts", "temperature", "severity");
    }

    @Test
    void shouldTakeOtherStringsAsTagsAndDeviceTypeAsTheDeviceType() {
        CompiledRule rule = COMPILER.compile("""
                @App:name('tags')
                define stream TelemetryStream (site string, deviceType string, humidity double, deviceId string);
                from TelemetryStream select site, deviceType, humidity insert into AlertStream;
                """);

        assertThat(rule.inputAttributes()).containsExactly(new TelemetryAttribute("site", Kind.TAG),
                new TelemetryAttribute("deviceType", Kind.DEVICE_TYPE),
                new TelemetryAttribute("humidity", Kind.METRIC), new TelemetryAttribute("deviceId", Kind.DEVICE_ID));
    }

    @Test
    void shouldAcceptIntermediateStreamsPartitionsTriggersKeyedTablesAndBoundedState() {
        CompiledRule rule = COMPILER.compile("""
                @App:name('everything_allowed')
                @App:description('all the allowed parts')
                define stream TelemetryStream (deviceId string, ts long, temperature double);
                @PrimaryKey('deviceId')
                define table LastSeen (deviceId string, ts long);
                define trigger Tick at every 1 min;
                define window Recent (deviceId string, temperature double) length(100);
                from TelemetryStream select deviceId, ts insert into LastSeen;
                from TelemetryStream select deviceId, temperature insert into Recent;
                from TelemetryStream#window.time(24 hours) select deviceId, avg(temperature) as mean
                    group by deviceId insert into Means;
                from Means[mean > 80.0] select deviceId, 'hot on average' as message insert into AlertStream;
                partition with (deviceId of TelemetryStream)
                begin
                    from TelemetryStream#window.length(100000) select deviceId, max(temperature) as peak
                        insert into #Peaks;
                    from #Peaks[peak > 120.0] select deviceId, 'peak' as message insert into AlertStream;
                end;
                from every e1=TelemetryStream[temperature > 90.0] -> e2=TelemetryStream[deviceId == e1.deviceId]
                    within 24 hours
                select e1.deviceId, 'twice' as message insert into AlertStream;
                from Tick join LastSeen select LastSeen.deviceId, 'tick' as message insert into AlertStream;
                from Recent select deviceId, 'recent' as message output last every 1 min insert into AlertStream;
                """);

        assertThat(rule.name()).isEqualTo("everything_allowed");
        assertThat(rule.alertAttributes()).containsExactly("deviceId", "message");
    }

    @ParameterizedTest
    @ValueSource(strings = {"time(24 hours)", "timeBatch(1 min)", "externalTime(ts, 1 hour)",
            "externalTimeBatch(ts, 1 hour)", "timeLength(1 hour, 100000)", "delay(1 sec)", "session(5 min, deviceId)",
            "length(100000)", "lengthBatch(10)", "sort(10, temperature, 'asc')"})
    void shouldAcceptEveryAllowedWindowWithinItsBounds(String window) {
        CompiledRule rule = COMPILER.compile(HEAD + "from TelemetryStream#window." + window
                + "\nselect deviceId, temperature insert into AlertStream;\n");

        assertThat(rule.alertAttributes()).containsExactly("deviceId", "temperature");
    }

    // ---- refused by Siddhi

    @Test
    void shouldRejectASyntaxErrorAtTheOffendingToken() {
        String app = HEAD + "from TelemetryStream[temperature > ]\nselect deviceId insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "Syntax error in SiddhiQL", 3, 36);
    }

    @Test
    void shouldRejectAnAttributeTheStreamDoesNotHave() {
        String app = HEAD + "from TelemetryStream\nselect deviceId, humidity insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "'humidity' does not exist in 'TelemetryStream'", 4, 18);
    }

    @Test
    void shouldRejectAnEmptyApp() {
        assertRejected(() -> COMPILER.compile("  \n"), "the app is empty");
    }

    // ---- refused by the policy: what the app reads

    @Test
    void shouldRejectAStreamThatDoesNotExist() {
        String app = HEAD + "from TelemetryStream select deviceId insert into AlertStream;\n"
                + "from Nope select deviceId insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "Nope is not defined", 4, 6);
    }

    @Test
    void shouldRejectAStreamThatNothingFeeds() {
        String app = HEAD + "define stream HumidityStream (deviceId string, humidity double);\n"
                + "from HumidityStream[humidity > 80.0] select deviceId insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "HumidityStream is read but nothing feeds it", 4, 6);
    }

    @Test
    void shouldRejectAStreamNamedLikeAnotherTenantsStream() {
        String app = HEAD + "define stream TenantB_TelemetryStream (deviceId string, temperature double);\n"
                + "from TenantB_TelemetryStream select deviceId insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "TenantB_TelemetryStream is read but nothing feeds it: the "
                + "platform feeds only TelemetryStream", 4, 6);
    }

    @Test
    void shouldRejectASourceThatWouldReadAnotherTenantsTopic() {
        String app = """
                @App:name('r')
                @source(type='inMemory', topic='tenant-b/telemetry', @map(type='passThrough'))
                define stream TelemetryStream (deviceId string, ts long, temperature double);
                from TelemetryStream select deviceId insert into AlertStream;
                """;

        assertRejected(() -> COMPILER.compile(app), "@source on TelemetryStream is not allowed: a source, sink or "
                + "store could read other tenants' data or send data out of the process", 2, 1);
    }

    @Test
    void shouldRejectASourceOnAnotherStream() {
        String app = HEAD + """
                @source(type='inMemory', topic='tenant-b/telemetry', @map(type='passThrough'))
                define stream Other (deviceId string);
                from Other select deviceId insert into AlertStream;
                """;

        assertRejected(() -> COMPILER.compile(app), "@source on Other is not allowed", 3, 1);
    }

    @Test
    void shouldRejectASink() {
        String app = HEAD + """
                @sink(type='inMemory', topic='tenant-b/alerts', @map(type='passThrough'))
                define stream AlertStream (deviceId string);
                from TelemetryStream select deviceId insert into AlertStream;
                """;

        assertRejected(() -> COMPILER.compile(app), "@sink on AlertStream is not allowed", 3, 1);
    }

    @Test
    void shouldRejectAStore() {
        String app = HEAD + """
                @store(type='rdbms', jdbc.url='jdbc:postgresql://db/tenant_b')
                @PrimaryKey('deviceId')
                define table Seen (deviceId string);
                from TelemetryStream select deviceId insert into Seen;
                from TelemetryStream select deviceId insert into AlertStream;
                """;

        assertRejected(() -> COMPILER.compile(app), "@store on Seen is not allowed", 3, 1);
    }

    @Test
    void shouldRejectVariablesThatSiddhiWouldFillFromTheEnvironment() {
        String app = HEAD + "from TelemetryStream\nselect deviceId, '${HOME}' as message insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "${...} placeholders are not allowed", 4, 19);
    }

    @Test
    void shouldRejectAFaultStreamWithoutOnError() {
        String app = HEAD + "from TelemetryStream select deviceId insert into AlertStream;\n"
                + "from !TelemetryStream select deviceId insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "!TelemetryStream is read but nothing feeds it", 4, 6);
    }

    // ---- refused by the policy: bounded state

    @Test
    void shouldRejectAUniqueEverWindow() {
        String app = HEAD + "from TelemetryStream#window.unique:ever(deviceId)\n"
                + "select deviceId insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "window.unique:ever is not allowed: a rule may use only the "
                + "bounded windows", 3, 21);
    }

    @Test
    void shouldRejectALengthWindowOverTheLimit() {
        String app = HEAD + "from TelemetryStream#window.length(10000000)\nselect deviceId insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "window.length(10000000) holds more than the 100,000 events "
                + "allowed", 3, 21);
    }

    @Test
    void shouldRejectATimeWindowOverTheLimit() {
        String app = HEAD + "from TelemetryStream#window.time(30 days)\nselect deviceId insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "window.time(30 days) is longer than the 24 hours allowed", 3, 21);
    }

    @Test
    void shouldRejectAnUnknownWindow() {
        String app = HEAD + "from TelemetryStream#window.foo(10)\nselect deviceId insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "window.foo is not allowed", 3, 21);
    }

    @Test
    void shouldRejectAnExpressionWindow() {
        String app = HEAD + "from TelemetryStream#window.expression('count() <= 20')\n"
                + "select deviceId insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "window.expression is not allowed", 3, 21);
    }

    @Test
    void shouldRejectAnUnboundedWindowInAJoin() {
        String app = HEAD + "@PrimaryKey('deviceId')\ndefine table T (deviceId string);\n"
                + "from TelemetryStream select deviceId insert into T;\n"
                + "from T join TelemetryStream#window.time(2 days) on T.deviceId == TelemetryStream.deviceId\n"
                + "select T.deviceId insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "window.time(2 days) is longer than the 24 hours allowed", 6, 28);
    }

    @Test
    void shouldRejectAnUnboundedDefinedWindow() {
        String app = HEAD + "define window W (deviceId string) lengthBatch(200000);\n"
                + "from TelemetryStream select deviceId insert into W;\n"
                + "from W select deviceId insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "window.lengthBatch(200000) holds more than the 100,000 events "
                + "allowed", 3, 1);
    }

    @Test
    void shouldRejectAPatternWithoutWithin() {
        String app = HEAD + "from every e1=TelemetryStream[temperature > 90.0] -> "
                + "e2=TelemetryStream[deviceId == e1.deviceId and temperature > 90.0]\n"
                + "select e1.deviceId insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "a pattern needs `within` (at most 24 hours) so that half-matched "
                + "events expire", 3, 6);
    }

    @Test
    void shouldRejectAPatternWithinThirtyDays() {
        String app = HEAD + "from every e1=TelemetryStream[temperature > 90.0] -> "
                + "e2=TelemetryStream[deviceId == e1.deviceId and temperature > 90.0]\n"
                + "  within 30 days\n"
                + "select e1.deviceId insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "within 30 days is longer than the 24 hours allowed", 4, 10);
    }

    @Test
    void shouldRejectASequenceWithoutWithin() {
        String app = HEAD + "from every e1=TelemetryStream, e2=TelemetryStream[temperature > e1.temperature]\n"
                + "select e1.deviceId insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "a sequence needs `within`", 3, 6);
    }

    @Test
    void shouldRejectAnOutputRateHoldingTooManyEvents() {
        String app = HEAD + "from TelemetryStream select deviceId output all every 200000 events "
                + "insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "output every 200000 events holds more than the 100,000 events "
                + "allowed", 3);
    }

    @Test
    void shouldRejectATableWithoutPrimaryKey() {
        String app = HEAD + "define table Seen (deviceId string);\n"
                + "from TelemetryStream select deviceId insert into Seen;\n"
                + "from TelemetryStream select deviceId insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "table Seen needs @PrimaryKey('...')", 3, 1);
    }

    @Test
    void shouldHonourCustomLimits() {
        RuleCompiler strict = new RuleCompiler(new RuleLimits(Duration.ofMinutes(5), 10, Duration.ofMinutes(1)));
        String app = HEAD + "from TelemetryStream#window.time(10 min)\nselect deviceId insert into AlertStream;\n";

        assertRejected(() -> strict.compile(app), "window.time(10 minutes) is longer than the 5 minutes allowed", 3,
                21);
    }

    // ---- refused by the policy: the app's shape

    @Test
    void shouldRejectADeviceIdThatIsNotAString() {
        String app = """
                @App:name('r')
                define stream TelemetryStream (deviceId int, temperature double);
                from TelemetryStream select deviceId insert into AlertStream;
                """;

        assertRejected(() -> COMPILER.compile(app), "TelemetryStream attribute deviceId is int: deviceId must be "
                + "string", 2, 1);
    }

    @Test
    void shouldRejectATsThatIsNotALong() {
        String app = """
                @App:name('r')
                define stream TelemetryStream (deviceId string, ts double);
                from TelemetryStream select deviceId insert into AlertStream;
                """;

        assertRejected(() -> COMPILER.compile(app), "TelemetryStream attribute ts is double: ts must be long", 2, 1);
    }

    @Test
    void shouldRejectAMetricThatIsNotADouble() {
        String app = """
                @App:name('r')
                define stream TelemetryStream (deviceId string, temperature int);
                from TelemetryStream select deviceId insert into AlertStream;
                """;

        assertRejected(() -> COMPILER.compile(app), "TelemetryStream attribute temperature is int: a metric must be "
                + "double and a tag string", 2, 1);
    }

    @Test
    void shouldRejectAnAppWithoutName() {
        String app = """
                define stream TelemetryStream (deviceId string, temperature double);
                from TelemetryStream select deviceId insert into AlertStream;
                """;

        assertRejected(() -> COMPILER.compile(app), "@App:name('...') is required: it is the rule's name");
    }

    @Test
    void shouldRejectAnInvalidName() {
        String app = HEAD.replace("'r'", "'Hot Device'")
                + "from TelemetryStream select deviceId insert into AlertStream;";

        assertRejected(() -> COMPILER.compile(app), "@App:name 'Hot Device' is not a valid rule name", 1, 1);
    }

    @Test
    void shouldRejectAnAppWithoutAlertStream() {
        String app = HEAD + "from TelemetryStream select deviceId insert into Elsewhere;\n";

        assertRejected(() -> COMPILER.compile(app), "the app must insert into AlertStream: what it inserts there "
                + "becomes alerts");
    }

    @Test
    void shouldRejectAnAppWithoutTelemetryStream() {
        String app = """
                @App:name('r')
                define trigger Tick at every 1 sec;
                from Tick select triggered_time as ts insert into AlertStream;
                """;

        assertRejected(() -> COMPILER.compile(app), "the app must define TelemetryStream");
    }

    @Test
    void shouldRejectAnInsertIntoTelemetryStream() {
        String app = HEAD + "from TelemetryStream select deviceId insert into AlertStream;\n"
                + "from TelemetryStream select deviceId, ts, temperature insert into TelemetryStream;\n";

        assertRejected(() -> COMPILER.compile(app), "the app must not insert into TelemetryStream", 4);
    }

    @Test
    void shouldRejectPlaybackSetByTheApp() {
        String app = "@app:playback\n" + HEAD + "from TelemetryStream select deviceId insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "@App:playback is set by the platform, not the app", 1, 1);
    }

    @Test
    void shouldRejectAFunctionDefinition() {
        String app = HEAD + "define function twice[javascript] return double { return data[0] * 2; };\n"
                + "from TelemetryStream select deviceId insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "define function twice is not allowed: rules cannot run scripts",
                3, 1);
    }

    @Test
    void shouldRejectAnAggregation() {
        String app = HEAD + "define aggregation Stats from TelemetryStream select deviceId, avg(temperature) as mean "
                + "group by deviceId aggregate by ts every sec ... year;\n"
                + "from TelemetryStream select deviceId insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "define aggregation Stats is not allowed", 3, 1);
    }

    @Test
    void shouldRejectAsyncStreams() {
        String app = "@App:name('r')\n@async(buffer.size='1024')\n"
                + "define stream TelemetryStream (deviceId string, temperature double);\n"
                + "from TelemetryStream select deviceId insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "@async on TelemetryStream is not allowed", 2, 1);
    }

    @Test
    void shouldRejectTheLogStreamFunction() {
        String app = HEAD + "from TelemetryStream#log('seen')\nselect deviceId insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "#log is not allowed", 3, 21);
    }

    @Test
    void shouldRejectASeverityThatIsNotAString() {
        String app = HEAD + "from TelemetryStream select deviceId, 3 as severity insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "AlertStream attribute severity is int: it must be string", 3);
    }

    @Test
    void shouldReportTheFirstBreachInSourceOrder() {
        String app = HEAD + "from TelemetryStream#window.time(30 days) select deviceId insert into AlertStream;\n"
                + "from TelemetryStream#window.length(10000000) select deviceId insert into AlertStream;\n";

        assertRejected(() -> COMPILER.compile(app), "window.time(30 days)", 3, 21);
    }

    // ---- the exception

    @Test
    void shouldPutThePositionBeforeTheReasonInTheMessage() {
        assertThat(new RuleRejectedException("bad", 3, 5)).hasMessage("line 3, column 5: bad");
        assertThat(new RuleRejectedException("bad", 3, null)).hasMessage("line 3: bad");
        assertThat(new RuleRejectedException("bad", null, 5)).hasMessage("bad");
        assertThat(new RuleRejectedException("bad", null, 5).column()).isEmpty();
    }

    // ---- resource bounds: timers, tables, joins

    @Test
    void shouldRejectATriggerFiringMoreOftenThanOnceASecond() {
        String app = HEAD + """
                define trigger Tick at every 1 millisec;
                from Tick select triggered_time as ts insert into AlertStream;
                """;
        assertRejected(() -> COMPILER.compile(app), "trigger Tick fires every 1 ms: a rule's timers fire at most once "
                + "every 1 second", 3, 1);
    }

    @Test
    void shouldRejectATimeOutputRateOrTimeBatchFiringMoreOftenThanOnceASecond() {
        assertRejected(() -> COMPILER.compile(HEAD + """
                from TelemetryStream select deviceId output last every 10 millisec insert into AlertStream;
                """), "output every 10 ms fires too often", 3);
        assertRejected(() -> COMPILER.compile(HEAD + """
                from TelemetryStream#window.timeBatch(100 millisec) select count() as n insert into AlertStream;
                """), "window.timeBatch(100 ms) fires too often", 3);
    }

    @Test
    void shouldRejectATableKeyedByTsOrAMeasurement() {
        assertRejected(() -> COMPILER.compile(HEAD + """
                @PrimaryKey('ts')
                define table Seen (deviceId string, ts long);
                from TelemetryStream select deviceId, ts insert into Seen;
                from TelemetryStream select deviceId insert into AlertStream;
                """), "table Seen is keyed by ts (long): a key that takes a new value with every reading grows the "
                + "table without bound", 3);
        assertRejected(() -> COMPILER.compile(HEAD + """
                @PrimaryKey('deviceId', 'temperature')
                define table Seen (deviceId string, temperature double);
                from TelemetryStream select deviceId, temperature insert into Seen;
                from TelemetryStream select deviceId insert into AlertStream;
                """), "table Seen is keyed by temperature (double)", 3);
    }

    @Test
    void shouldRejectASelfJoinOfTwoLargeWindows() {
        String app = HEAD + """
                from TelemetryStream#window.length(100000) as a join TelemetryStream#window.length(100000) as b
                  on a.deviceId == b.deviceId
                select a.deviceId as deviceId, b.ts as ts insert into AlertStream;
                """;
        assertRejected(() -> COMPILER.compile(app), "a join of windows of 100,000 and 100,000 events compares up to "
                + "10,000,000,000 pairs, more than the 1,000,000 allowed", 3);
    }

    @Test
    void shouldRejectAJoinOfTwoTimeWindows() {
        String app = HEAD + """
                from TelemetryStream#window.time(1 hour) as a join TelemetryStream#window.time(1 hour) as b
                  on a.deviceId == b.deviceId
                select a.deviceId as deviceId, b.ts as ts insert into AlertStream;
                """;
        assertRejected(() -> COMPILER.compile(app), "a join of two windows needs both bounded by a number of events",
                3);
    }

    @Test
    void shouldAcceptAJoinOfSmallWindowsAStringKeyedTableAndASecondlyTrigger() {
        CompiledRule rule = COMPILER.compile(HEAD + """
                @PrimaryKey('deviceId')
                define table Last (deviceId string, temperature double);
                define trigger Tick at every 1 sec;
                from TelemetryStream select deviceId, temperature update or insert into Last on Last.deviceId == deviceId;
                from TelemetryStream#window.length(1000) as a join TelemetryStream#window.length(1000) as b
                  on a.deviceId == b.deviceId and a.ts < b.ts
                select a.deviceId as deviceId, b.ts as ts insert into AlertStream;
                """);
        assertThat(rule.name()).isEqualTo("r");
    }

    private static void assertRejected(ThrowingCallable compile, String reason, int line, int column) {
        assertThatThrownBy(compile).isInstanceOfSatisfying(RuleRejectedException.class, e -> {
            assertThat(e.reason()).contains(reason);
            assertThat(e.line()).hasValue(line);
            assertThat(e.column()).hasValue(column);
            assertThat(e).hasMessageStartingWith("line " + line + ", column " + column + ": ");
        });
    }

    private static void assertRejected(ThrowingCallable compile, String reason, int line) {
        assertThatThrownBy(compile).isInstanceOfSatisfying(RuleRejectedException.class, e -> {
            assertThat(e.reason()).contains(reason);
            assertThat(e.line()).hasValue(line);
        });
    }

    private static void assertRejected(ThrowingCallable compile, String reason) {
        assertThatThrownBy(compile).isInstanceOfSatisfying(RuleRejectedException.class, e -> {
            assertThat(e.reason()).contains(reason);
            assertThat(e.line()).isEmpty();
            assertThat(e).hasMessage(e.reason());
        });
    }
}
