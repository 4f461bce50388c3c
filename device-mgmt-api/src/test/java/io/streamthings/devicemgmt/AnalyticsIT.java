package io.streamthings.devicemgmt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.streamthings.common.alert.AlertCodec;
import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.influx.DayAvailability;
import io.streamthings.common.influx.LineProtocol;
import io.streamthings.common.influx.WindowPoint;
import io.streamthings.common.influx.WindowSeries;
import io.streamthings.common.kafka.TopicSpec;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.prediction.PredictionLines;
import io.streamthings.common.prediction.PredictionPoint;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.devicemgmt.analytics.InfluxQueryClient;
import io.streamthings.devicemgmt.analytics.SeriesStatements;
import io.streamthings.devicemgmt.api.PredictionsView;
import io.streamthings.devicemgmt.support.Api;
import io.streamthings.devicemgmt.support.AppUnderTest;
import io.streamthings.devicemgmt.support.TestServers;
import io.streamthings.embedded.InfluxServer;
import io.streamthings.embedded.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The analytics API on a real influxd (raw points written with line protocol into the measurements and retention
 * policies of the real-time Flink job, window points with common's {@link WindowSeries}, forecasts with common's
 * {@link PredictionLines}), embedded PostgreSQL and Kafka: series as written, a year read from hourly rollups and recent
 * minute windows, or from minute windows alone before any rollup exists, downsampling bounded by maxPoints, latest
 * values, forecasts as written, tenant and device isolation, every refusal, and the live stream read by a plain HTTP
 * client.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AnalyticsIT {

    private static final String DB = "streamthings";
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TelemetryCodec CODEC = new TelemetryCodec();

    // Started before the application so that its config can point at it; topics exist before the live-stream hub
    // starts, so it reads them from the end at once.
    private static final InfluxServer INFLUX = startInflux();
    private static final AppUnderTest APP = AppUnderTest.create("analytics_it",
            ConfigOverride.config("influx.url", INFLUX.url()));
    static final DropwizardAppExtension<DeviceMgmtConfiguration> EXT = APP.extension();

    /** Raw readings of d-1: every 10 s for 10 minutes, starting 30 minutes ago on a whole minute. */
    private static final long RAW_START = (System.currentTimeMillis() - 30 * MINUTE) / MINUTE * MINUTE;
    /** 1-minute windows of d-1: 120 of them, starting 6 hours ago on a whole minute. */
    private static final long WINDOWS_START = (System.currentTimeMillis() - 6 * HOUR) / MINUTE * MINUTE;
    /** Hourly windows of d-1 over the last 80 days, for downsampling a long range. */
    private static final long HISTORY_START = (System.currentTimeMillis() - 80 * DAY) / HOUR * HOUR;
    private static final int HISTORY_WINDOWS = 80 * 24 - 12;
    /**
     * d-1's power: hourly rollups of a year (8,760 of them, as the batch job writes them) up to this end (exclusive),
     * two hours behind the present as a batch job lags, and the minute windows of the last two days they roll up.
     */
    private static final long ROLLED_UP_TO = System.currentTimeMillis() / HOUR * HOUR - 2 * HOUR;
    private static final int ROLLUP_HOURS = 365 * 24;
    private static final long MINUTES_FROM = (System.currentTimeMillis() - 2 * DAY) / MINUTE * MINUTE;
    private static final long MINUTES_TO = System.currentTimeMillis() / MINUTE * MINUTE - MINUTE;
    /** Forecasts of d-1's temperature: one every 2 minutes from 10 minutes ago on, for the next 50 minutes. */
    /** Today's start (UTC): the availability batch job wrote the 10 days before it. */
    private static final long TODAY = System.currentTimeMillis() / DAY * DAY;
    private static final long FORECAST_START = (System.currentTimeMillis() - 10 * MINUTE) / MINUTE * MINUTE;
    private static final List<PredictionPoint> FORECASTS = forecasts();
    /** A forecast 3 days ahead: outside the default range (to +24h). */
    private static final PredictionPoint FAR_FORECAST = new PredictionPoint("default", "d-1", "temperature",
            FORECAST_START + 3 * DAY, FORECAST_START, "ewma", 30.5, 25, 36, null, null);

    private static Api api;
    private static String admin;
    private static String vera;
    private static String nora;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void setUp() {
        api = APP.api();
        admin = api.login("admin", APP.adminPassword());
        api.post("/api/v1/device-types", admin, "{\"name\":\"thermo\"}").assertStatus(201);
        api.post("/api/v1/devices", admin, "{\"id\":\"d-1\",\"name\":\"one\",\"type\":\"thermo\"}").assertStatus(201);
        api.post("/api/v1/devices", admin, "{\"id\":\"d-2\",\"name\":\"two\",\"type\":\"thermo\"}").assertStatus(201);
        api.post("/api/v1/roles", admin, "{\"name\":\"viewer\",\"scopes\":[\"device:view\",\"device:manage\","
                + "\"analytics:view\"]}").assertStatus(201);
        api.post("/api/v1/roles", admin, "{\"name\":\"lister\",\"scopes\":[\"device:view\"]}").assertStatus(201);
        api.post("/api/v1/users", admin, "{\"username\":\"vera\",\"password\":\"vera-password\","
                + "\"roles\":[\"viewer\"]}").assertStatus(201);
        api.post("/api/v1/users", admin, "{\"username\":\"nora\",\"password\":\"nora-password\","
                + "\"roles\":[\"lister\"]}").assertStatus(201);
        vera = api.login("vera", "vera-password");
        nora = api.login("nora", "nora-password");
        api.post("/api/v1/devices", vera, "{\"id\":\"d-vera\",\"name\":\"v\",\"type\":\"thermo\"}").assertStatus(201);

        writePoints();
        java.util.Properties p = new java.util.Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.get().bootstrapServers());
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void tearDown() {
        if (producer != null) {
            producer.close();
        }
        INFLUX.close();
    }

    @Test
    void shouldAnswerRawReadingsAsWrittenForAShortRange() {
        JsonNode series = api.get(telemetry("d-1", "temperature", RAW_START, RAW_START + 10 * MINUTE, ""), admin)
                .assertStatus(200).json();

        assertThat(series.path("deviceId").asText()).isEqualTo("d-1");
        assertThat(series.path("metric").asText()).isEqualTo("temperature");
        assertThat(series.path("interval").asText()).isEqualTo("raw");
        assertThat(series.path("agg").asText()).isEqualTo("mean");
        List<long[]> expected = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            expected.add(new long[] {RAW_START + i * 10_000L, Double.doubleToLongBits(20 + i * 0.5)});
        }
        assertThat(pairs(series)).containsExactlyElementsOf(expected.stream()
                .map(e -> e[0] + "=" + Double.longBitsToDouble(e[1])).toList());
    }

    @Test
    void shouldDownsampleRawReadingsToMaxPoints() {
        // the end is inclusive: up to the last millisecond of the 10th minute, so ten 1-minute buckets fit
        JsonNode series = api.get(telemetry("d-1", "temperature", RAW_START, RAW_START + 10 * MINUTE - 1,
                "&maxPoints=10&agg=max"), admin).assertStatus(200).json();

        assertThat(series.path("interval").asText()).isEqualTo("1m");
        assertThat(series.path("points")).hasSize(10);
        // each minute's max is its 6th reading: 20 + (6k + 5) * 0.5
        assertThat(series.path("points").get(0).get(0).asLong()).isEqualTo(RAW_START);
        assertThat(series.path("points").get(0).get(1).asDouble()).isEqualTo(22.5);
        assertThat(series.path("points").get(9).get(1).asDouble()).isEqualTo(20 + 59 * 0.5);
    }

    @Test
    void shouldAnswerMinuteWindowsAsWrittenWithEachAggregation() {
        String range = telemetry("d-1", "temperature", WINDOWS_START, WINDOWS_START + 119 * MINUTE, "");
        JsonNode mean = api.get(range, admin).assertStatus(200).json();
        JsonNode max = api.get(range + "&agg=max", admin).assertStatus(200).json();
        JsonNode count = api.get(range + "&agg=count", admin).assertStatus(200).json();
        JsonNode last = api.get(range + "&agg=last&interval=1m", admin).assertStatus(200).json();

        assertThat(mean.path("interval").asText()).isEqualTo("1m");
        assertThat(mean.path("points")).hasSize(120);
        for (int i = 0; i < 120; i++) {
            long ts = WINDOWS_START + i * MINUTE;
            assertThat(mean.path("points").get(i).get(0).asLong()).isEqualTo(ts);
            assertThat(mean.path("points").get(i).get(1).asDouble()).isEqualTo(windowValue(i));
            assertThat(max.path("points").get(i).get(1).asDouble()).isEqualTo(windowValue(i) + 1);
            assertThat(count.path("points").get(i).get(1).asLong()).isEqualTo(4);
            assertThat(last.path("points").get(i).get(1).asDouble()).isEqualTo(windowValue(i) + 0.5);
        }
    }

    @Test
    void shouldNeverAnswerMorePointsThanMaxPointsOverAYear() {
        long now = System.currentTimeMillis();
        int total = 0;
        for (int maxPoints : new int[] {1, 7, 50, 1000, 10_000}) {
            for (String interval : new String[] {"", "&interval=1m"}) {
                JsonNode series = api.get(telemetry("d-1", "temperature", now - 365 * DAY, now,
                        "&agg=count&maxPoints=" + maxPoints + interval), admin).assertStatus(200).json();
                assertThat(series.path("points").size()).as("maxPoints %d %s", maxPoints, interval)
                        .isBetween(1, maxPoints);
                long counted = 0;
                for (JsonNode point : series.path("points")) {
                    counted += point.get(1).asLong();
                }
                // downsampling loses no reading: the counts of the buckets add up to every window's count
                assertThat(counted).isEqualTo(4L * (120 + HISTORY_WINDOWS));
                total++;
            }
        }
        assertThat(total).isEqualTo(10);
        JsonNode year = api.get(telemetry("d-1", "temperature", now - 365 * DAY, now, ""), admin).json();
        assertThat(year.path("interval").asText()).isEqualTo("1d");
    }

    @Test
    void shouldAnswerAYearFromHourlyRollupsAndTheRecentMinuteWindowsAsTheReadingsCombine() {
        long now = System.currentTimeMillis();
        // ranges from the start of an hour, so that every window in range is whole in it
        long yearAgo = (now - 365 * DAY) / HOUR * HOUR;
        for (long from : new long[] {yearAgo, (now - 30 * DAY) / HOUR * HOUR}) {
            for (int maxPoints : new int[] {1000, 50}) {
                for (String agg : List.of("mean", "count", "min", "max", "last")) {
                    JsonNode series = api.get(telemetry("d-1", "power", from, now, "&agg=" + agg + "&maxPoints="
                            + maxPoints), admin).assertStatus(200).json();
                    String what = agg + " from " + from + " at most " + maxPoints + " points, "
                            + series.path("interval").asText();
                    List<Double> expected = expectedPower(from, now, bucketMs(series.path("interval").asText()), agg);

                    assertThat(series.path("points").size()).as(what).isEqualTo(expected.size() / 2)
                            .isBetween(1, maxPoints);
                    for (int i = 0; i < expected.size() / 2; i++) {
                        JsonNode point = series.path("points").get(i);
                        assertThat(point.get(0).asLong()).as(what).isEqualTo(expected.get(2 * i).longValue());
                        assertThat(point.get(1).asDouble()).as(what + " at " + point.get(0))
                                .isCloseTo(expected.get(2 * i + 1), offset(1e-9));
                    }
                }
            }
        }
        JsonNode year = api.get(telemetry("d-1", "power", yearAgo, now, ""), admin).json();
        assertThat(year.path("interval").asText()).isEqualTo("1d");
        // the first day of the year is on the chart, and the last minute window too
        assertThat(year.path("points").get(0).get(0).asLong()).isLessThanOrEqualTo(yearAgo);
        assertThat(year.path("points").get(year.path("points").size() - 1).get(0).asLong())
                .isEqualTo(MINUTES_TO / DAY * DAY);
    }

    @Test
    void shouldReadMinuteWindowsWhenNoRollupHasBeenWrittenYet() {
        long now = System.currentTimeMillis();
        JsonNode month = api.get(telemetry("d-1", "temperature", now - 30 * DAY, now, ""), admin).assertStatus(200)
                .json();

        // hourly buckets as the hourly rollups would give, made of the minute windows: the history's one an hour,
        // and the 120 recent ones in the two or three hours they span
        TreeMap<Long, double[]> expected = new TreeMap<>(); // hour -> sum, count
        for (int i = 0; i < HISTORY_WINDOWS; i++) {
            long start = HISTORY_START + i * HOUR;
            if (start >= now - 30 * DAY) {
                expected.merge(start, new double[] {4.0 * (10 + i % 7), 4}, AnalyticsIT::plus);
            }
        }
        for (int i = 0; i < 120; i++) {
            expected.merge((WINDOWS_START + i * MINUTE) / HOUR * HOUR, new double[] {4 * windowValue(i), 4},
                    AnalyticsIT::plus);
        }
        assertThat(month.path("interval").asText()).isEqualTo("1h");
        List<String> want = new ArrayList<>();
        expected.forEach((hour, sc) -> want.add(hour + "=" + sc[0] / sc[1]));
        assertThat(pairs(month)).isEqualTo(want);
    }

    @Test
    void shouldAnswerTheLatestValueOfEachMetricOfTheCallersTenantOnly() {
        JsonNode latest = api.get("/api/v1/analytics/latest?deviceId=d-1", admin).assertStatus(200).json();

        assertThat(latest.path("deviceId").asText()).isEqualTo("d-1");
        assertThat(latest.path("metrics").size()).isEqualTo(2);
        assertThat(latest.path("metrics").path("temperature").path("ts").asLong()).isEqualTo(RAW_START + 590_000);
        assertThat(latest.path("metrics").path("temperature").path("value").asDouble()).isEqualTo(49.5);
        assertThat(latest.path("metrics").path("humidity").path("ts").asLong()).isEqualTo(RAW_START + 30_000);
        assertThat(latest.path("metrics").path("humidity").path("value").asDouble()).isEqualTo(41.0);
        JsonNode none = api.get("/api/v1/analytics/latest?deviceId=d-vera", vera).assertStatus(200).json();
        assertThat(none.path("metrics").size()).isZero();
    }

    @Test
    void shouldKeepOtherTenantsDataOutEvenForTheSameDeviceId() {
        JsonNode series = api.get(telemetry("d-1", "temperature", RAW_START, RAW_START + 11 * MINUTE, ""), admin)
                .json();

        // The values, not the text: a timestamp may contain the digits 999.
        assertThat(series.path("points")).isNotEmpty();
        for (JsonNode point : series.path("points")) {
            assertThat(point.get(1).asDouble()).isNotEqualTo(999.0);
        }
    }

    @Test
    void shouldRefuseWithoutTokenScopeOrAccessToTheDevice() {
        String series = telemetry("d-1", "temperature", RAW_START, RAW_START + MINUTE, "");
        for (String token : new String[] {null, "not-a-token"}) {
            api.get(series, token).assertError(401);
            api.get("/api/v1/analytics/latest?deviceId=d-1", token).assertError(401);
            api.get("/api/v1/stream?deviceId=d-1", token).assertError(401);
        }
        api.get(series, nora).assertError(403);
        api.get("/api/v1/analytics/latest?deviceId=d-1", nora).assertError(403);
        api.get("/api/v1/stream?deviceId=d-1", nora).assertError(403);
        api.get(series, vera).assertError(404);
        api.get("/api/v1/analytics/latest?deviceId=d-1", vera).assertError(404);
        api.get("/api/v1/stream?deviceId=d-1", vera).assertError(404);
        api.get("/api/v1/analytics/latest?deviceId=no-such-device", admin).assertError(404);
        api.get(telemetry("d-vera", "temperature", RAW_START, RAW_START + MINUTE, ""), vera).assertStatus(200);
    }

    @Test
    void shouldAnswerForecastsAsWrittenForTheDefaultRange() {
        JsonNode answer = api.get("/api/v1/predictions?deviceId=d-1&metric=temperature", admin).assertStatus(200)
                .json();

        assertThat(answer.path("deviceId").asText()).isEqualTo("d-1");
        assertThat(answer.path("metric").asText()).isEqualTo("temperature");
        assertThat(answer.path("truncated").asBoolean()).isFalse();
        long now = System.currentTimeMillis();
        assertThat(answer.path("from").asLong()).isBetween(now - HOUR - MINUTE, now - HOUR);
        assertThat(answer.path("to").asLong()).isBetween(now + DAY - MINUTE, now + DAY);
        // Other tenants, other metrics and the forecast beyond a day are not in it.
        assertThat(predictedPoints(answer)).containsExactlyElementsOf(FORECASTS.stream().map(AnalyticsIT::view)
                .toList());
    }

    @Test
    void shouldAnswerForecastsOfAnExplicitRangeAndCutThemAtMaxPoints() {
        JsonNode ahead = api.get("/api/v1/predictions?deviceId=d-1&metric=temperature&from=now&to=%2B4d", admin)
                .assertStatus(200).json();
        List<PredictionsView.Point> points = predictedPoints(ahead);
        assertThat(points).last().isEqualTo(view(FAR_FORECAST));
        assertThat(points).allMatch(p -> p.ts() >= System.currentTimeMillis() - MINUTE);

        JsonNode cut = api.get("/api/v1/predictions?deviceId=d-1&metric=temperature&maxPoints=5&from="
                + FORECAST_START + "&to=" + (FORECAST_START + HOUR), admin).assertStatus(200).json();
        assertThat(cut.path("truncated").asBoolean()).isTrue();
        assertThat(predictedPoints(cut)).containsExactlyElementsOf(FORECASTS.subList(0, 5).stream()
                .map(AnalyticsIT::view).toList());

        JsonNode none = api.get("/api/v1/predictions?deviceId=d-2&metric=temperature", admin).assertStatus(200).json();
        assertThat(none.path("points")).isEmpty();
        assertThat(none.path("truncated").asBoolean()).isFalse();
    }

    @Test
    void shouldRefusePredictionsAsEveryDeviceScopedRead() {
        String d1 = "/api/v1/predictions?deviceId=d-1&metric=temperature";
        api.get(d1, null).assertError(401);
        api.get(d1, "not-a-token").assertError(401);
        api.get(d1, nora).assertError(403);
        api.get(d1, vera).assertError(404);
        api.get("/api/v1/predictions?deviceId=no-such-device&metric=temperature", admin).assertError(404);
        JsonNode own = api.get("/api/v1/predictions?deviceId=d-vera&metric=temperature", vera).assertStatus(200)
                .json();
        assertThat(own.path("points")).hasSize(1);

        long now = System.currentTimeMillis();
        assertMessage(api.get("/api/v1/predictions?metric=temperature", admin), "deviceId is required");
        assertMessage(api.get("/api/v1/predictions?deviceId=d-1", admin), "metric is required");
        assertMessage(api.get(d1 + "&from=" + now + "&to=" + (now - HOUR), admin), "from must be before to");
        assertMessage(api.get(d1 + "&to=-2h", admin), "from must be before to");
        assertMessage(api.get(d1 + "&from=tomorrow", admin), "from: expected epoch milliseconds");
        assertMessage(api.get(d1 + "&to=+1d", admin), "to: expected"); // an unencoded '+' arrives as a space
        assertMessage(api.get(d1 + "&maxPoints=0", admin), "maxPoints: expected 1 to 10000");
        assertMessage(api.get(d1 + "&maxPoints=all", admin), "maxPoints");
        assertMessage(api.get("/api/v1/predictions?deviceId=d-1&metric=" + Api.enc("t\" OR 1=1"), admin),
                "metric: expected");
    }

    @Test
    void shouldAnswerTheAvailabilityOfTheLastWeekByDefaultAndOfAnExplicitRange() {
        JsonNode week = api.get("/api/v1/analytics/availability?deviceId=d-1", admin).assertStatus(200).json();
        assertThat(week.path("deviceId").asText()).isEqualTo("d-1");
        // the last 7 days, or 6 and today's none when now is just past midnight: the first is after now - 7d
        List<Long> days = new ArrayList<>();
        week.path("days").forEach(d -> days.add(d.path("day").asLong()));
        assertThat(days).isSortedAccordingTo(Long::compare).allSatisfy(d ->
                assertThat(d).isGreaterThanOrEqualTo(week.path("from").asLong()).isLessThan(TODAY));
        assertThat(days).contains(TODAY - DAY, TODAY - 6 * DAY).doesNotContain(TODAY - 8 * DAY);

        JsonNode range = api.get("/api/v1/analytics/availability?deviceId=d-1&from=" + (TODAY - 3 * DAY) + "&to="
                + (TODAY - DAY), admin).assertStatus(200).json();
        assertThat(range.path("days")).hasSize(2);
        JsonNode first = range.path("days").get(0);
        assertThat(first.path("day").asLong()).isEqualTo(TODAY - 3 * DAY);
        assertThat(first.path("knownMs").asLong()).isEqualTo(DAY);
        assertThat(first.path("uptimeMs").asLong()).isEqualTo(DAY - 3 * MINUTE);
        assertThat(first.path("uptimeRatio").asDouble()).isEqualTo((double) (DAY - 3 * MINUTE) / DAY);
        assertThat(first.path("outages").asLong()).isZero();
        assertThat(first.path("longestOutageMs").asLong()).isEqualTo(3 * MINUTE);
        assertThat(range.path("days").get(1).path("outages").asLong()).isEqualTo(2);
        // the other tenant's d-1 (never up) is not in it
        assertThat(api.get("/api/v1/analytics/availability?deviceId=d-1&from=" + (TODAY - DAY), admin)
                .assertStatus(200).json().path("days").get(0).path("uptimeRatio").asDouble()).isGreaterThan(0.99);
        assertThat(api.get("/api/v1/analytics/availability?deviceId=d-2", admin).assertStatus(200).json()
                .path("days")).isEmpty();
    }

    @Test
    void shouldRefuseAvailabilityAsEveryDeviceScopedReadAndBadParameters() {
        String d1 = "/api/v1/analytics/availability?deviceId=d-1";
        api.get(d1, null).assertError(401);
        api.get(d1, nora).assertError(403);
        api.get(d1, vera).assertError(404);
        api.get("/api/v1/analytics/availability?deviceId=no-such-device", admin).assertError(404);
        assertThat(api.get("/api/v1/analytics/availability?deviceId=d-vera", vera).assertStatus(200).json()
                .path("days")).hasSize(1);
        assertMessage(api.get("/api/v1/analytics/availability", admin), "deviceId is required");
        assertMessage(api.get(d1 + "&from=yesterday", admin), "from:");
        assertMessage(api.get(d1 + "&from=" + TODAY + "&to=" + (TODAY - DAY), admin), "from must be before to");
        assertMessage(api.get(d1 + "&from=0", admin), "at most 3660 days");
    }

    @Test
    void shouldRefuseBadParametersWithAClearMessage() {
        long now = System.currentTimeMillis();
        assertMessage(api.get("/api/v1/analytics/telemetry?metric=temperature", admin), "deviceId is required");
        assertMessage(api.get("/api/v1/analytics/telemetry?deviceId=d-1", admin), "metric is required");
        assertMessage(api.get("/api/v1/analytics/latest", admin), "deviceId is required");
        assertMessage(api.get(telemetry("d-1", "temperature", now - HOUR, now, "&agg=median"), admin),
                "agg: expected one of mean, min, max, last, count, sum, got median");
        assertMessage(api.get(telemetry("d-1", "temperature", now, now - HOUR, ""), admin),
                "from must be before to");
        assertMessage(api.get(telemetry("d-1", "temperature", now - 3 * DAY, now, "&interval=raw"), admin),
                "interval raw covers at most 1d");
        assertMessage(api.get(telemetry("d-1", "temperature", now - HOUR, now, "&interval=soon"), admin),
                "interval: expected raw or a duration");
        assertMessage(api.get(telemetry("d-1", "temperature", now - HOUR, now, "&maxPoints=0"), admin),
                "maxPoints");
        assertMessage(api.get(telemetry("d-1", "temperature", now - HOUR, now, "&maxPoints=lots"), admin),
                "maxPoints");
        assertMessage(api.get("/api/v1/analytics/telemetry?deviceId=d-1&metric=t&from=yesterday", admin), "from:");
        assertMessage(api.get("/api/v1/stream?deviceId=d-1&topics=weather", admin), "topics:");
        assertMessage(api.get("/api/v1/stream", vera), "deviceId is required unless the caller is an admin");
    }

    @Test
    void shouldNotLetQueryTextEscapeItsQuotes() {
        long now = System.currentTimeMillis();
        String hostileMetric = "temperature\" FROM \"raw\".\"telemetry\" --";
        api.get("/api/v1/analytics/telemetry?deviceId=d-1&metric=" + Api.enc(hostileMetric), admin).assertError(400);
        api.get(telemetry("d-1' OR '1'='1", "temperature", now - HOUR, now, ""), admin).assertError(404);

        // Below the API's own checks: the statements with hostile values, straight against InfluxDB.
        InfluxQueryClient influx = new InfluxQueryClient(INFLUX.url(), DB, JSON);
        var plan = io.streamthings.devicemgmt.analytics.SeriesPlan.plan(RAW_START, RAW_START + 10 * MINUTE, "raw",
                io.streamthings.devicemgmt.analytics.Agg.MEAN, 1000, now);
        for (Map<String, String> params : List.of(
                SeriesStatements.params("default' OR tenant = 'other", "d-1", null),
                SeriesStatements.params("default", "d-1' OR deviceId =~ /.*/ OR deviceId = '", null),
                SeriesStatements.params("default", "d-1\\", null),
                SeriesStatements.params("other\" OR \"tenant\" = \"default", "d-1", null))) {
            assertThat(influx.query(SeriesStatements.stored(plan, "temperature"), params).get(0).rows())
                    .as(params.toString()).isEmpty();
        }
        var safe = influx.query(SeriesStatements.stored(plan, hostileMetric),
                SeriesStatements.params("default", "d-1", null)).get(0);
        assertThat(safe.rows()).isEmpty();
        assertThat(INFLUX.query("SHOW MEASUREMENTS ON " + DB + " WITH MEASUREMENT = \"telemetry\""))
                .contains("telemetry");
    }

    @Test
    void shouldStreamLiveTelemetryAndAlertsOfTheDeviceOnly() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + EXT.getLocalPort()
                        + "/api/v1/stream?deviceId=d-1&topics=telemetry,alerts"))
                .timeout(WAIT) // until the headers arrive
                .header("Authorization", "Bearer " + admin)
                .header("Accept", "text/event-stream")
                // Compression would hold events back in the compressor; Jetty leaves text/event-stream alone.
                .header("Accept-Encoding", "gzip")
                .GET().build();
        HttpResponse<Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("text/event-stream");
        assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> reader = collect(response, lines);
        try {
            await().atMost(WAIT).until(() -> lines.contains(": connected"));
            assertThat(gauge()).isEqualTo(1);

            // Records the client must never see: another tenant's device of the same id, and another device.
            produceTelemetry("other", "d-1", 555.5);
            produceTelemetry("default", "d-2", 666.5);
            produceAlert("other", "d-1", "not-mine");
            produceTelemetry("default", "d-1", 21.25);
            produceAlert("default", "d-1", "sse-rule");

            await().atMost(WAIT).until(() -> text(lines).contains("21.25") && text(lines).contains("sse-rule"));
            // A last record after the others: once it is in, everything produced before was read by the hub.
            produceTelemetry("default", "d-1", 33.75);
            await().atMost(WAIT).until(() -> text(lines).contains("33.75"));

            String received = text(lines);
            assertThat(received).contains("event: telemetry\ndata: {\"tenant\":\"default\",\"deviceType\":\"thermo\","
                    + "\"deviceId\":\"d-1\"");
            assertThat(received).contains("event: alerts\ndata: {\"tenant\":\"default\",\"source\":\"rule\","
                    + "\"rule\":\"sse-rule\",\"deviceId\":\"d-1\"");
            assertThat(received).doesNotContain("555.5", "666.5", "not-mine", "\"other\"");
            assertThat(lines.stream().filter(l -> l.startsWith("event: ")).count()).isEqualTo(3);
        } finally {
            response.body().close();
            reader.cancel(true);
        }
        awaitCleanUp();
    }

    @Test
    void shouldStreamTheWholeTenantToItsAdmin() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + EXT.getLocalPort()
                        + "/api/v1/stream?topics=telemetry"))
                .timeout(WAIT)
                .header("Authorization", "Bearer " + admin).GET().build();
        HttpResponse<Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> reader = collect(response, lines);
        try {
            await().atMost(WAIT).until(() -> lines.contains(": connected"));
            produceTelemetry("other", "d-9", 777.5);
            produceAlert("default", "d-2", "alerts-not-asked-for");
            produceTelemetry("default", "d-2", 12.5);
            await().atMost(WAIT).until(() -> text(lines).contains("12.5"));
            produceTelemetry("default", "d-1", 13.5);
            await().atMost(WAIT).until(() -> text(lines).contains("13.5"));
            assertThat(text(lines)).doesNotContain("777.5", "alerts-not-asked-for", "event: alerts");
        } finally {
            response.body().close();
            reader.cancel(true);
        }
        awaitCleanUp();
    }

    @Test
    void shouldCountTheTenantsIngestRateForItsAdminsOnly() {
        for (int i = 0; i < 30; i++) {
            produceTelemetry("default", "d-1", 20.0);
        }
        // the window ends before the second still filling: wait until all 30 are in a complete second
        await().atMost(WAIT).until(() -> {
            JsonNode rate = api.get("/api/v1/analytics/ingest-rate?windowSeconds=60", admin).assertStatus(200).json();
            return rate.path("recordsPerSecond").asDouble() * rate.path("windowSeconds").asInt() >= 30 - 1e-9;
        });
        JsonNode rate = api.get("/api/v1/analytics/ingest-rate", admin).json();
        assertThat(rate.path("windowSeconds").asInt()).isBetween(1, 10);
        assertThat(rate.path("recordsPerSecond").asDouble()).isGreaterThanOrEqualTo(0.0);

        api.get("/api/v1/analytics/ingest-rate", null).assertError(401);
        api.get("/api/v1/analytics/ingest-rate", nora).assertError(403);
        api.get("/api/v1/analytics/ingest-rate", vera).assertError(403); // sees some devices, not the whole tenant
        assertMessage(api.get("/api/v1/analytics/ingest-rate?windowSeconds=0", admin), "windowSeconds");
        assertMessage(api.get("/api/v1/analytics/ingest-rate?windowSeconds=61", admin), "windowSeconds");
        assertMessage(api.get("/api/v1/analytics/ingest-rate?windowSeconds=ten", admin), "windowSeconds");
    }

    /** Adds the lines of a streamed answer to lines as they arrive, until the test closes the body. */
    private static CompletableFuture<Void> collect(HttpResponse<Stream<String>> response, List<String> lines) {
        return CompletableFuture.runAsync(() -> {
            try (Stream<String> body = response.body()) {
                body.forEach(lines::add);
            } catch (UncheckedIOException e) {
                // the test closed the stream
            }
        });
    }

    /** The server notices a closed connection at its next write: keep events coming until it has cleaned up. */
    private static void awaitCleanUp() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            produceTelemetry("default", "d-1", 1.0);
            return gauge() == 0;
        });
    }

    private static InfluxServer startInflux() {
        try {
            InfluxServer influx = InfluxServer.start(Files.createTempDirectory("analytics-it-influx"), Ports.free());
            influx.createDatabase(DB);
            // The real-time job's policies (RetentionPolicies): queries must name them.
            for (String rp : List.of("\"raw\" ON \"streamthings\" DURATION 7d", "\"rp_1m\" ON \"streamthings\" "
                    + "DURATION 90d", "\"rp_1h\" ON \"streamthings\" DURATION INF", "\"rp_1d\" ON \"streamthings\" "
                    + "DURATION INF")) {
                String answer = influx.query("CREATE RETENTION POLICY " + rp + " REPLICATION 1");
                assertThat(answer).doesNotContain("\"error\"");
            }
            createTopics(Topics.TELEMETRY_RAW, Topics.ALERTS);
            return influx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createTopics(TopicSpec... specs) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestServers.get().bootstrapServers()))) {
            for (TopicSpec spec : specs) {
                try {
                    admin.createTopics(List.of(new NewTopic(spec.name(), Optional.of(spec.partitions()),
                            Optional.empty()))).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Points as the real-time job writes them (InfluxPoints): raw readings, 1-minute windows, another tenant's. */
    private static void writePoints() {
        StringBuilder raw = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            long ts = RAW_START + i * 10_000L;
            raw.append("telemetry,tenant=default,deviceType=thermo,deviceId=d-1 temperature=")
                    .append(20 + i * 0.5).append(' ').append(ts).append('\n');
            // Same device id in another tenant, later than every reading of ours: a leak would show as 999.
            raw.append("telemetry,tenant=other,deviceType=thermo,deviceId=d-1 temperature=999,humidity=999 ")
                    .append(ts + 5_000).append('\n');
        }
        raw.append("telemetry,tenant=default,deviceType=thermo,deviceId=d-1,site=lab humidity=40 ")
                .append(RAW_START).append('\n');
        raw.append("telemetry,tenant=default,deviceType=thermo,deviceId=d-1,site=lab humidity=41 ")
                .append(RAW_START + 30_000).append('\n');
        write("raw", raw.toString());

        LineProtocol windows = new LineProtocol(1 << 20);
        for (int i = 0; i < 120; i++) {
            window(windows, WINDOWS_START + i * MINUTE, windowValue(i));
        }
        for (int i = 0; i < HISTORY_WINDOWS; i++) {
            window(windows, HISTORY_START + i * HOUR, 10 + i % 7);
        }
        for (long m = MINUTES_FROM; m <= MINUTES_TO; m += MINUTE) {
            WindowSeries.MINUTE.write(powerMinute(m), windows);
        }
        write("rp_1m", windows.take());
        LineProtocol rollups = new LineProtocol(2 << 20);
        for (int h = ROLLUP_HOURS; h > 0; h--) {
            WindowSeries.HOUR.write(powerHour(ROLLED_UP_TO - h * HOUR), rollups);
        }
        assertThat(rollups.lines()).isEqualTo(8_760);
        write("rp_1h", rollups.take());

        StringBuilder forecasts = new StringBuilder();
        FORECASTS.forEach(p -> PredictionLines.append(forecasts, p));
        PredictionLines.append(forecasts, FAR_FORECAST);
        // Same device id in another tenant, another metric, and vera's own device.
        PredictionLines.append(forecasts, new PredictionPoint("other", "d-1", "temperature", FORECAST_START + MINUTE,
                FORECAST_START, "ewma", 999, 999, 999, null, null));
        PredictionLines.append(forecasts, new PredictionPoint("default", "d-1", "humidity", FORECAST_START + MINUTE,
                FORECAST_START, "ewma", 999, 999, 999, null, null));
        PredictionLines.append(forecasts, new PredictionPoint("default", "d-vera", "temperature",
                FORECAST_START + MINUTE, FORECAST_START, "ewma", 1, 0, 2, null, null));
        write(null, forecasts.toString()); // the database's default policy, as PredictionLines says

        LineProtocol availability = new LineProtocol(1 << 12);
        for (int i = 1; i <= 10; i++) {
            new DayAvailability("default", "d-1", TODAY - i * DAY, DAY, DAY - i * MINUTE, i % 3, i * MINUTE)
                    .write(availability);
        }
        // Same device id in another tenant, and vera's own device.
        new DayAvailability("other", "d-1", TODAY - DAY, DAY, 0, 1, DAY).write(availability);
        new DayAvailability("default", "d-vera", TODAY - DAY, HOUR, HOUR, 0, 0).write(availability);
        write(DayAvailability.RETENTION_POLICY, availability.take());
    }

    /** Two models, one every 4 minutes each, interleaved; some with an anomaly score or a time to threshold. */
    private static List<PredictionPoint> forecasts() {
        List<PredictionPoint> points = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long ts = FORECAST_START + i * 2 * MINUTE;
            double f = 20 + i * 0.25;
            points.add(new PredictionPoint("default", "d-1", "temperature", ts, FORECAST_START - MINUTE,
                    i % 2 == 0 ? "ewma" : "holt", f, f - 1.5, f + 1.75, i % 3 == 0 ? null : i / 8.0,
                    i % 5 == 0 ? 3_600_000L - i * 60_000L : null));
        }
        return points;
    }

    private static PredictionsView.Point view(PredictionPoint p) {
        return new PredictionsView.Point(p.ts(), p.forecast(), p.lower(), p.upper(), p.anomalyScore(),
                p.thresholdEtaMs(), p.model(), p.madeAt());
    }

    private static List<PredictionsView.Point> predictedPoints(JsonNode answer) {
        try {
            return List.of(JSON.treeToValue(answer.path("points"), PredictionsView.Point[].class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void window(LineProtocol out, long start, double v) {
        WindowSeries.MINUTE.write(WindowPoint.of("default", "thermo", "d-1", "temperature", start, 4, v - 1, v + 1,
                4 * v, v + 0.5, start + 59_000, v + 1, start + 59_500), out);
    }

    /**
     * d-1's power in the minute starting at {@code m}: 1 to 5 readings around a value that steps in quarters, so that
     * every sum is exact in binary and the test's sums equal InfluxDB's whatever the order of adding.
     */
    private static WindowPoint powerMinute(long m) {
        long i = m / MINUTE;
        double v = 10 + (i % 97) * 0.25;
        long count = 1 + i % 5;
        return WindowPoint.of("default", "meter", "d-1", "power", m, count, v - 1, v + 2 + i % 3, count * v, v + 0.5,
                m + 59_000, v + 2, m + 59_500);
    }

    /** The hourly rollup of the 60 minutes of {@link #powerMinute} from {@code hour} on, as the batch job makes it. */
    private static WindowPoint powerHour(long hour) {
        List<WindowPoint> minutes = new ArrayList<>(60);
        for (long m = hour; m < hour + HOUR; m += MINUTE) {
            minutes.add(powerMinute(m));
        }
        return WindowPoint.rollup(hour, minutes);
    }

    /**
     * What a series of d-1's power must hold, worked out from the minutes rather than from what was stored: every
     * minute from {@code from} to {@code to} that is rolled up or still kept as a minute window (the two overlap, and
     * must count once), in buckets of {@code bucketMs} aligned to the epoch; {@code [time, value, time, value, ...]}.
     */
    private static List<Double> expectedPower(long from, long to, long bucketMs, String agg) {
        TreeMap<Long, double[]> buckets = new TreeMap<>(); // bucket -> sum, count, min, max, last
        for (long m = (from + MINUTE - 1) / MINUTE * MINUTE; m <= to; m += MINUTE) {
            if (m < ROLLED_UP_TO || (m >= MINUTES_FROM && m <= MINUTES_TO)) {
                WindowPoint p = powerMinute(m);
                buckets.merge(Math.floorDiv(m, bucketMs) * bucketMs,
                        new double[] {p.sum(), p.count(), p.min(), p.max(), p.last()},
                        (a, b) -> new double[] {a[0] + b[0], a[1] + b[1], Math.min(a[2], b[2]), Math.max(a[3], b[3]),
                            b[4]});
            }
        }
        List<Double> expected = new ArrayList<>();
        buckets.forEach((bucket, b) -> {
            expected.add((double) bucket);
            expected.add(switch (agg) {
                case "mean" -> b[0] / b[1];
                case "count" -> b[1];
                case "min" -> b[2];
                case "max" -> b[3];
                default -> b[4];
            });
        });
        return expected;
    }

    private static double[] plus(double[] a, double[] b) {
        return new double[] {a[0] + b[0], a[1] + b[1]};
    }

    /** The bucket of an answer's interval such as {@code 1h}, {@code 1d} or {@code 2w}. */
    private static long bucketMs(String interval) {
        long amount = Long.parseLong(interval.substring(0, interval.length() - 1));
        return amount * switch (interval.charAt(interval.length() - 1)) {
            case 'w' -> 7 * DAY;
            case 'd' -> DAY;
            case 'h' -> HOUR;
            default -> MINUTE;
        };
    }

    private static double windowValue(int i) {
        return 15 + (i % 10) * 0.25;
    }

    /** Writes line protocol into the policy {@code rp}, or the default one when null. */
    private static void write(String rp, String lines) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(INFLUX.url() + "/write?db=" + DB
                        + (rp == null ? "" : "&rp=" + rp) + "&precision=ms"))
                .POST(HttpRequest.BodyPublishers.ofString(lines)).build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String telemetry(String deviceId, String metric, long from, long to, String more) {
        return "/api/v1/analytics/telemetry?deviceId=" + Api.enc(deviceId) + "&metric=" + Api.enc(metric)
                + "&from=" + from + "&to=" + to + more;
    }

    private static List<String> pairs(JsonNode series) {
        List<String> pairs = new ArrayList<>();
        for (JsonNode p : series.path("points")) {
            pairs.add(p.get(0).asLong() + "=" + p.get(1).asDouble());
        }
        return pairs;
    }

    private static void assertMessage(Api.Reply reply, String expected) {
        reply.assertError(400);
        assertThat(reply.json().path("message").asText()).contains(expected);
    }

    private static void produceTelemetry(String tenant, String deviceId, double temperature) {
        StampedTelemetry t = new StampedTelemetry(tenant, "thermo", deviceId, System.currentTimeMillis(),
                TelemetryRecord.of(System.currentTimeMillis(), Map.of("temperature", temperature)));
        send(Topics.TELEMETRY_RAW.name(), t.key(), CODEC.encodeStamped(t));
    }

    private static void produceAlert(String tenant, String deviceId, String rule) {
        AlertEvent a = new AlertEvent(tenant, "rule", rule, deviceId, "critical", "hot", System.currentTimeMillis(),
                System.currentTimeMillis(), Map.of("temperature", 95.0));
        send(Topics.ALERTS.name(), a.kafkaKey(), AlertCodec.encode(a));
    }

    private static void send(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(List<String> lines) {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    private static long gauge() {
        JsonNode metrics = new Api(APP.adminUrl()).get("/metrics", null).json();
        return metrics.path("gauges").path("streamthings.stream.clients").path("value").asLong(-1);
    }
}
