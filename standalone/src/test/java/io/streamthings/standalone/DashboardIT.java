package io.streamthings.standalone;

import static io.streamthings.standalone.StandaloneTestSupport.adminToken;
import static io.streamthings.standalone.StandaloneTestSupport.field;
import static io.streamthings.standalone.StandaloneTestSupport.freePorts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamthings.common.prediction.PredictionLines;
import io.streamthings.common.prediction.PredictionPoint;
import io.streamthings.common.alert.AlertCodec;
import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.influx.DayAvailability;
import io.streamthings.common.influx.LineProtocol;
import io.streamthings.common.influx.WindowPoint;
import io.streamthings.common.influx.WindowSeries;
import io.streamthings.common.kafka.Topics;
import io.streamthings.flink.realtime.InfluxPoints;
import io.streamthings.flink.realtime.TelemetryEvent;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboards in a real browser against the real platform, started once for the class. First a fleet of one: sign
 * in through the form, see the enrolled device and the fleet's counts, open the device page, publish telemetry over
 * HTTP ingest and watch the latest value and the chart change without a reload; acknowledge the alert a rule raised;
 * dry-run a rule; and on a phone-sized screen the overview does not scroll sideways. Then the same platform at fleet
 * scale: 10,000 more devices enrolled in bulk (totals, online count, paging and search done by the server), and a
 * device with a year of hourly rollups and the last two days of minute windows on a chart whose 30-day and 1-year
 * views reach back that far and hold no more points than the chart has pixels, with forecasts drawn over it. Screenshots go to {@code target/screenshots/}; timings are
 * printed, never asserted.
 */
// The tests share one platform (a start costs about 15 s), so they run in order: the first counts a fleet of one.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final By DEVICE_LINK = By.cssSelector("[data-testid='device-link-dash-1']");
    private static final By CHART_CANVAS = By.cssSelector("[data-testid='chart-temperature'] canvas");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final int FLEET = 10_000;
    /** Days of hourly rollups seeded, as the batch job keeps them (forever). */
    private static final int HISTORY_DAYS = 365;
    /** Days of minute windows seeded: the recent ones, from which the rollups' lag is read. */
    private static final int MINUTE_DAYS = 2;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dataDir;

    private static StandaloneConfig config;
    private static Platform platform;
    private static String base;
    private static String api;
    private static String admin;

    @TempDir
    Path browserProfile;

    @BeforeAll
    static void startPlatform() throws Exception {
        assumeTrue(browserAvailable(System.getenv(), CHROMIUM, CHROMEDRIVER),
                "DashboardIT needs Debian's chromium and chromedriver at /usr/bin/chromium and /usr/bin/chromedriver "
                        + "(.ci/run installs them)");
        config = freePorts(dataDir);
        platform = Platform.start(config);
        base = "http://127.0.0.1:" + config.httpPort();
        api = base + "/api/v1";
        admin = adminToken(HTTP, api, adminPassword());
    }

    /**
     * Whether the browser and its driver are there. Without them a developer's run skips these tests; with
     * {@code CI=true} it fails, so that a CI image that lost its browser cannot pass while testing no dashboard.
     */
    static boolean browserAvailable(Map<String, String> env, Path chromium, Path chromedriver) {
        boolean present = Files.isExecutable(chromium) && Files.isExecutable(chromedriver);
        if (!present && "true".equalsIgnoreCase(env.getOrDefault("CI", "").trim())) {
            throw new AssertionError("CI=true, but DashboardIT's browser is missing: " + chromium + " and "
                    + chromedriver + " must be executable (Debian's chromium and chromium-driver)");
        }
        return present;
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void shouldShowTheFleetAndUpdateTheDevicePageLiveWhenTelemetryArrives() throws Exception {
        assertThat(post(api + "/device-types", admin, "{\"name\":\"thermometer\",\"metrics\":[{\"name\":"
                + "\"temperature\",\"unit\":\"C\",\"type\":\"number\"}],\"transports\":[\"mqtt\",\"http\"]}")
                .statusCode()).isEqualTo(201);
        HttpResponse<String> enrolled = post(api + "/devices", admin,
                "{\"id\":\"dash-1\",\"name\":\"Boiler room\",\"type\":\"thermometer\"}");
        assertThat(enrolled.statusCode()).isEqualTo(201);
        String deviceAuth = "Bearer dash-1:" + field(enrolled.body(), "token");
        HttpResponse<String> rule = send(HttpRequest.newBuilder(URI.create(api + "/rules"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        @App:name('dash-hot')
                        define stream TelemetryStream (deviceId string, ts long, temperature double);
                        from TelemetryStream[temperature > 90.0]
                        select deviceId, ts, temperature, 'critical' as severity, 'boiler too hot' as message
                        insert into AlertStream;
                        """)).build());
        assertThat(rule.statusCode()).as(rule.body()).isEqualTo(201);
        await().atMost(WAIT).until(() -> getAs(api + "/rules/dash-hot", admin).contains("\"state\":\"RUNNING\""));

        // The static files need no token, carry their types, and stay out of the API document.
        HttpResponse<String> page = get(base + "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        HttpResponse<String> app = get(base + "/ui/app.js");
        assertThat(app.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
        String etag = app.headers().firstValue("ETag").orElseThrow();
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/ui/app.js")).header("If-None-Match", etag)
                .build()).statusCode()).isEqualTo(304);
        HttpResponse<String> uplot = get(base + "/ui/vendor/uplot/uPlot.esm.js");
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.headers().firstValue("Cache-Control").orElseThrow()).contains("max-age");
        assertThat(get(base + "/ui/nothing.js").statusCode()).isEqualTo(404);
        HttpResponse<String> unknown = get(api + "/no-such-thing");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"code\":404");
        assertThat(get(api + "/openapi.json").body())
                .contains("/api/v1/devices", "/api/v1/predictions").doesNotContain("\"/ui/");

        inBrowser("failure", driver -> runInBrowser(driver, deviceAuth));
    }

    private void runInBrowser(WebDriver driver, String deviceAuth) throws Exception {
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        JavascriptExecutor js = (JavascriptExecutor) driver;

        signIn(driver, wait);
        wait.until(ExpectedConditions.visibilityOfElementLocated(DEVICE_LINK));

        // A fresh load of the overview (signed in: the token is in sessionStorage) to measure its first paint. A
        // reload: driver.get() of a URL differing only in its fragment would just fire hashchange.
        driver.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(DEVICE_LINK));
        Object tableShownMs = js.executeScript("return performance.now()");
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid='count-total']"), "1"));
        assertThat(text(driver, "count-open-alerts")).isEqualTo("0");
        assertThat(text(driver, "count-online")).matches("[01]");
        assertThat(text(driver, "page-info")).isEqualTo("1–1 of 1");
        Object paint = js.executeScript("""
                const p = Object.fromEntries(performance.getEntriesByType('paint')
                    .map(e => [e.name, Math.round(e.startTime)]));
                const n = performance.getEntriesByType('navigation')[0];
                const slowest = performance.getEntriesByType('resource').sort((a, b) => b.duration - a.duration)[0];
                return {firstPaint: p['first-paint'], firstContentfulPaint: p['first-contentful-paint'],
                    domContentLoaded: Math.round(n.domContentLoadedEventEnd), load: Math.round(n.loadEventEnd),
                    slowestRequest: slowest && `${slowest.name.replace(location.origin, '')} `
                        + `${Math.round(slowest.startTime)}+${Math.round(slowest.duration)}`};""");
        System.out.println("DashboardIT overview timing (ms since navigation start): " + paint
                + ", device table shown by " + Math.round(((Number) tableShownMs).doubleValue()));
        screenshot(driver, "overview");

        // The device page; telemetry published now reaches it over the live stream, without a reload.
        driver.findElement(DEVICE_LINK).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(CHART_CANVAS));
        assertThat(text(driver, "device-title")).isEqualTo("Boiler room");
        js.executeScript("window.__sameDocument = true");
        // Until the credential reaches ingest (401) and the stream is connected, a reading may be missed: send again.
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(2)).until(() -> {
            ingest(deviceAuth, 95.5);
            return "95.5".equals(text(driver, "latest-temperature"));
        });
        wait.until(d -> Integer.parseInt(d.findElement(By.cssSelector("[data-testid='chart-temperature']"))
                .getAttribute("data-points")) >= 1);
        assertThat(js.executeScript("return window.__sameDocument === true")).isEqualTo(true);
        // The rule fires on 95.5; the alert shows up on the device page through the stream too.
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid='device-alert-table']")));
        screenshot(driver, "device");

        // The alerts page: acknowledge the open alert.
        driver.get(base + "/#/alerts");
        WebElement ack = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid^='ack-']")));
        screenshot(driver, "alerts");
        ack.click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid='alert-table-empty']")));
        assertThat(getAs(api + "/alerts?deviceId=dash-1", admin)).contains("\"status\":\"ACKNOWLEDGED\"");

        // The rules page: a dry run of the example rule says what it would emit.
        driver.get(base + "/#/rules");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid='rule-table']")));
        driver.findElement(By.id("dry-run")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("[data-testid='dry-run-summary']"), "1 alerts"));
        assertThat(driver.findElement(By.cssSelector("[data-testid='dry-run-alerts']")).getText()).contains("boiler-1");

        // A phone: 375 px wide, nothing scrolls sideways.
        driver.manage().window().setSize(new Dimension(375, 800));
        ((ChromeDriver) driver).executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 375, "height", 800, "deviceScaleFactor", 1, "mobile", true));
        driver.get(base + "/#/overview");
        wait.until(ExpectedConditions.visibilityOfElementLocated(DEVICE_LINK));
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid='count-total']"), "1"));
        assertThat(((Number) js.executeScript("return window.innerWidth")).intValue()).isEqualTo(375);
        assertThat(((Number) js.executeScript("return document.documentElement.scrollWidth")).intValue())
                .as("overview width at 375 px").isLessThanOrEqualTo(375);
        screenshot(driver, "overview-375");
        driver.findElement(DEVICE_LINK).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(CHART_CANVAS));
        assertThat(((Number) js.executeScript("return document.documentElement.scrollWidth")).intValue())
                .as("device page width at 375 px").isLessThanOrEqualTo(375);
        screenshot(driver, "device-375");
    }

    @Test
    @Order(2)
    void shouldStaySmoothWithTenThousandDevicesAndAYearOfHistory() throws Exception {
        assertThat(post(api + "/device-types", admin, "{\"name\":\"meter\",\"metrics\":[{\"name\":\"power\","
                + "\"unit\":\"W\",\"type\":\"number\"}],\"transports\":[\"http\"]}").statusCode()).isEqualTo(201);
        int fleet = total("/devices?limit=1") + FLEET;

        // The fleet, through the public bulk enrollment API in one call, as an operator provisions one.
        StringBuilder rows = new StringBuilder("[");
        for (int i = 0; i < FLEET; i++) {
            rows.append(i == 0 ? "" : ",").append("{\"id\":\"").append(fleetId(i)).append("\",\"name\":\"")
                    .append(i == 7342 ? "Pump house north" : String.format("Meter %05d", i))
                    .append("\",\"type\":\"meter\"}");
        }
        long started = System.nanoTime();
        HttpResponse<String> enrolled = post(api + "/devices/bulk", admin, rows.append(']').toString());
        long enrollMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(200);
        JsonNode result = JSON.readTree(enrolled.body());
        assertThat(result.path("enrolled").asInt()).isEqualTo(FLEET);
        System.out.printf("DashboardIT fleet: %,d devices enrolled by one POST /devices/bulk in %,d ms%n", FLEET,
                enrollMs);

        // Some of them speak, so the real-time job marks them online.
        int speaking = 20;
        for (int i = 0; i < speaking; i++) {
            String auth = "Bearer " + fleetId(i) + ":" + result.path("results").get(i).path("token").asText();
            String record = "{\"metrics\":{\"power\":" + (400 + i) + "}}";
            // Until the new credential reaches ingest, it answers 401: send again.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> ingest(auth, record) == 202);
        }
        await().atMost(WAIT).until(() -> total("/devices?online=true&limit=1") >= speaking);

        String device = fleetId(0);
        seedHistory(device);
        seedForecasts(device);
        seedAnomalies(device, 3, fleetId(1), 1);
        seedAvailability(device);

        inBrowser("fleet-failure", driver -> atFleetScale(driver, fleet, speaking, device));
    }

    private void atFleetScale(WebDriver driver, int fleet, int speaking, String device) throws Exception {
        WebDriverWait wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(20));
        JavascriptExecutor js = (JavascriptExecutor) driver;
        // Marks when the overview shows its counts and its first page, checked every 5 ms from the document's start.
        ((ChromeDriver) driver).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                const overviewTimer = setInterval(() => {
                    const total = document.querySelector("[data-testid='count-total']");
                    const page = document.querySelector("[data-testid='page-info']");
                    if (total && total.textContent && page && page.textContent) {
                        window.__overviewShown = performance.now();
                        clearInterval(overviewTimer);
                    }
                }, 5);"""));
        signIn(driver, wait);

        // The overview, loaded afresh to time it.
        int onlineBefore = total("/devices?online=true&limit=1");
        driver.navigate().refresh();
        wait.until(d -> js.executeScript("return window.__overviewShown") != null);
        long overviewMs = Math.round(((Number) js.executeScript("return window.__overviewShown")).doubleValue());
        Object slowest = js.executeScript("""
                const calls = performance.getEntriesByType('resource').filter(e => e.name.includes('/api/v1/'));
                const s = calls.sort((a, b) => b.duration - a.duration)[0];
                return s && `${s.name.replace(location.origin, '')} ${Math.round(s.duration)} ms`;""");
        int online = total("/devices?online=true&limit=1");
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid='count-total']"), String.valueOf(fleet)));
        assertThat(text(driver, "count-active")).isEqualTo(String.valueOf(fleet));
        assertThat(Integer.parseInt(text(driver, "count-online"))).isIn(onlineBefore, online)
                .isGreaterThanOrEqualTo(speaking);
        assertThat(text(driver, "page-info")).isEqualTo("1–20 of " + fleet);
        assertThat(driver.findElements(By.cssSelector("[data-testid='device-table'] tbody tr"))).hasSize(20);
        // the admin sees the tenant's ingest rate, a number (the devices that spoke did so seconds ago)
        wait.until(d -> text(driver, "count-ingest-rate").matches("[0-9][0-9.,]*"));
        System.out.printf("DashboardIT fleet: ingest rate tile shows %s records/s%n", text(driver, "count-ingest-rate"));
        System.out.printf("DashboardIT fleet: overview of %,d devices (%d online) shown %,d ms after navigation start; "
                + "slowest API call %s%n", fleet, online, overviewMs, slowest);
        // The devices with the most anomalies today, most first.
        By topAnomalies = By.cssSelector("[data-testid='top-anomalies-table'] tbody tr");
        wait.until(ExpectedConditions.numberOfElementsToBe(topAnomalies, 2));
        assertThat(driver.findElements(topAnomalies).get(0).getText()).startsWith(fleetId(0));
        assertThat(text(driver, "anomaly-count-" + fleetId(0))).isEqualTo("3");
        assertThat(text(driver, "anomaly-count-" + fleetId(1))).isEqualTo("1");
        screenshot(driver, "fleet-overview");

        // Paging on the server, both ways.
        driver.findElement(By.id("next-page")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid='page-info']"), "21–40 of " + fleet));
        driver.findElement(By.id("prev-page")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid='page-info']"), "1–20 of " + fleet));

        // Search finds the one device among them, by id (timed from the last keystroke: 250 ms of the input's
        // debounce, then the server; the first nine characters match ten devices) and by name.
        WebElement search = driver.findElement(By.id("device-search"));
        search.sendKeys("fleet-0734");
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid='page-info']"), "1–10 of 10"));
        String oneFound = "document.querySelector(\"[data-testid='page-info']\")?.textContent === '1–1 of 1' && "
                + "document.querySelector(\"[data-testid='device-link-" + fleetId(7342) + "']\") !== null";
        long searchMs = timeUntil(js, () -> search.sendKeys("2"), oneFound);
        System.out.printf("DashboardIT fleet: search 'fleet-07342' showed 1 of %,d devices %,d ms after the last "
                + "keystroke (250 ms of it the input's debounce)%n", fleet, searchMs);
        search.clear();
        search.sendKeys("pump house");
        wait.until(d -> js.executeScript("return " + oneFound));
        screenshot(driver, "fleet-search");

        // The device with history: 1 hour with the forecasts drawn over it, then 30 days, then a year.
        driver.get(base + "/#/devices/" + device);
        By chart = By.cssSelector("[data-testid='chart-power']");
        wait.until(d -> "1h".equals(d.findElement(chart).getAttribute("data-range")));
        assertThat(Integer.parseInt(driver.findElement(chart).getAttribute("data-forecasts"))).isPositive();
        // The forecasts this test wrote (model ewma), beside any the platform's own predictive job made (holt).
        assertThat(text(driver, "forecast-power")).contains("forecast (").contains("ewma");
        // The forecast's band (lower, upper) filled between, and the anomaly (the last firing of its folded alert) as
        // a mark of the value read.
        assertThat(js.executeScript("const u = arguments[0].uplot; return u.series.length === 6 "
                + "&& [2, 3, 4, 5].every(i => u.data[i].some(v => v !== null)) && u.bands.length === 1 "
                + "&& u.data[5].filter(v => v !== null).length === 1 && u.data[5].includes(950)",
                driver.findElement(chart))).isEqualTo(true);
        assertThat(driver.findElement(chart).getAttribute("data-anomalies")).isEqualTo("1");
        assertThat(text(driver, "anomalies-power")).isEqualTo("● 1 anomaly");
        // The last days' availability, newest first: the 6 whole days after now - 7 d.
        By availabilityRows = By.cssSelector("[data-testid='availability-table'] tbody tr");
        wait.until(ExpectedConditions.numberOfElementsToBe(availabilityRows, 6));
        assertThat(driver.findElements(availabilityRows).get(0).getText())
                .contains(java.time.LocalDate.ofEpochDay(System.currentTimeMillis() / DAY - 1).toString(), "97.50 %",
                        "30 min 0 s");
        screenshot(driver, "device-forecast");
        for (String range : List.of("30d", "1y")) {
            long switchMs = timeUntil(js,
                    () -> driver.findElement(By.cssSelector("[data-testid='range-" + range + "']")).click(),
                    "document.querySelector(\"[data-testid='chart-power']\").dataset.range === '" + range + "'");
            @SuppressWarnings("unchecked")
            Map<String, Object> shown = (Map<String, Object>) js.executeScript("""
                    const u = arguments[0].uplot;
                    return {points: u.data[0].length, width: Math.floor(u.width),
                        first: u.data[0].length ? u.data[0][0] * 1000 : 0,
                        history: u.data[1].filter(v => v !== null).length};""", driver.findElement(chart));
            int points = ((Number) shown.get("points")).intValue();
            int width = ((Number) shown.get("width")).intValue();
            System.out.printf("DashboardIT fleet: range %s drawn %,d ms after the click: %d points (%d of history) on "
                    + "a chart %d px wide%n", range, switchMs, points, ((Number) shown.get("history")).intValue(),
                    width);
            assertThat(points).as(range).isPositive().isLessThanOrEqualTo(width);
            long first = ((Number) shown.get("first")).longValue();
            System.out.printf("DashboardIT fleet: range %s starts %.1f days back%n", range,
                    (System.currentTimeMillis() - first) / (double) DAY);
            if (range.equals("1y")) {
                // The first day of the year is on the chart (its daily bucket starts up to a day before it).
                assertThat(first).isBetween(System.currentTimeMillis() - (HISTORY_DAYS + 1) * DAY,
                        System.currentTimeMillis() - (HISTORY_DAYS - 1) * DAY);
            }
        }
        screenshot(driver, "device-1y");
    }

    /** {@code fleet-00042}. */
    private static String fleetId(int i) {
        return String.format("fleet-%05d", i);
    }

    /**
     * The device's power history as the platform stores it: the hourly rollups of a year (8,760, as the batch job
     * writes them, up to 2 hours ago as it lags) and the daily ones of its whole days, the minute windows of the last
     * {@link #MINUTE_DAYS} days (as the real-time job writes them) and raw readings every 30 s for the last 6 hours.
     */
    private static void seedHistory(String device) throws Exception {
        long now = System.currentTimeMillis();
        long started = System.nanoTime();
        LineProtocol lines = new LineProtocol(4 << 20);
        long rolledUpTo = now / HOUR * HOUR - 2 * HOUR;
        for (long h = rolledUpTo - HISTORY_DAYS * DAY; h < rolledUpTo; h += HOUR) {
            WindowSeries.HOUR.write(hourOfPower(device, h), lines);
        }
        int hours = lines.lines();
        influxWrite(WindowSeries.HOUR.retentionPolicy(), lines.take());
        // The daily rollups of those hours' whole days, as the batch job keeps them: a year's view reads them (the
        // platform's own RollupRunner writes yesterday's at its first tick, and without the others the year would
        // show only that day).
        for (long d = Math.floorDiv(rolledUpTo - HISTORY_DAYS * DAY + DAY - 1, DAY) * DAY; d + DAY <= rolledUpTo;
                d += DAY) {
            List<WindowPoint> day = new ArrayList<>(24);
            for (long h = d; h < d + DAY; h += HOUR) {
                day.add(hourOfPower(device, h));
            }
            WindowSeries.DAY.write(WindowPoint.rollup(d, day), lines);
        }
        influxWrite(WindowSeries.DAY.retentionPolicy(), lines.take());
        for (long t = (now - MINUTE_DAYS * DAY) / MINUTE * MINUTE; t < now - MINUTE; t += MINUTE) {
            WindowSeries.MINUTE.write(minuteOfPower(device, t), lines);
        }
        int windows = lines.lines();
        influxWrite(WindowSeries.MINUTE.retentionPolicy(), lines.take());
        int raw = 0;
        for (long t = now - 6 * 60 * MINUTE; t < now - MINUTE; t += 30_000) {
            InfluxPoints.raw(new TelemetryEvent("default", "meter", device, t, t, new String[] {"power"},
                    new double[] {power(t)}, new String[0], new String[0]), lines);
            raw++;
        }
        influxWrite("raw", lines.take());
        System.out.printf("DashboardIT fleet: %,d hourly rollups (%d days), %,d minute windows (%d days) and %,d raw "
                + "readings of %s written to InfluxDB in %,d ms%n", hours, HISTORY_DAYS, windows, MINUTE_DAYS, raw,
                device, (System.nanoTime() - started) / 1_000_000);
    }

    /** The minute window of the device's power from {@code t} on: 6 readings around {@link #power}. */
    private static WindowPoint minuteOfPower(String device, long t) {
        double v = power(t) + t / MINUTE % 7;
        return WindowPoint.of("default", "meter", device, "power", t, 6, v - 5, v + 5, 6 * v, v + 1, t + 55_000,
                v + 4, t + 56_000);
    }

    /** The hourly rollup of the 60 minute windows from {@code hour} on, as the batch job makes it. */
    private static WindowPoint hourOfPower(String device, long hour) {
        List<WindowPoint> minutes = new ArrayList<>(60);
        for (long t = hour; t < hour + HOUR; t += MINUTE) {
            minutes.add(minuteOfPower(device, t));
        }
        return WindowPoint.rollup(hour, minutes);
    }

    /** A daily cycle around 500 W, on a slower monthly one that the longer ranges show. */
    private static double power(long t) {
        return 500 + 200 * Math.sin(2 * Math.PI * (t % DAY) / DAY) + 80 * Math.sin(2 * Math.PI * t / (29.5 * DAY));
    }

    /** Forecasts of the device's power every 5 minutes for the next 2 hours, as the predictive job will store them. */
    private static void seedForecasts(String device) throws Exception {
        long now = System.currentTimeMillis() / MINUTE * MINUTE;
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= 24; i++) {
            double f = power(now) + i * 2.5;
            PredictionLines.append(lines, new PredictionPoint("default", device, "power", now + i * 5 * MINUTE, now,
                    "ewma", f, f - 10 - i, f + 10 + i, 0.2, null));
        }
        influxWrite(null, lines.toString());
    }

    /**
     * Anomaly alerts of the power metric as the predictive job sends them ({@code alerts}, rule {@code anomaly}):
     * {@code firings} of {@code device} (folded into one alert, the last 950 W against 520 expected two seconds ago,
     * so today in any time zone but just after midnight), and {@code otherFirings} of {@code other}.
     */
    private static void seedAnomalies(String device, int firings, String other, int otherFirings) throws Exception {
        long now = System.currentTimeMillis();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafka().bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = firings - 1; i >= 0; i--) {
                producer.send(anomaly(device, now - 2_000 - i * 60_000L, i == 0 ? 950 : 900 + i));
            }
            for (int i = otherFirings - 1; i >= 0; i--) {
                producer.send(anomaly(other, now - 3_000 - i * 60_000L, 10));
            }
            producer.flush();
        }
        await().atMost(WAIT).until(() -> getAs(api + "/alerts?rule=anomaly&deviceId=" + device, admin)
                .contains("\"count\":" + firings));
        await().atMost(WAIT).until(() -> getAs(api + "/alerts?rule=anomaly&deviceId=" + other, admin)
                .contains("\"count\":" + otherFirings));
    }

    private static ProducerRecord<String, byte[]> anomaly(String device, long ts, double actual) {
        AlertEvent alert = new AlertEvent("default", "flink", "anomaly", device, "warning",
                "power " + actual + " W, expected 520", ts, ts + 100, Map.of("metric", "power", "expected", 520.0,
                        "actual", actual, "score", 9.5, "kind", "spike"));
        return new ProducerRecord<>(Topics.ALERTS.name(), alert.kafkaKey(), AlertCodec.encode(alert));
    }

    /** The last 10 days' availability of the device as the availability batch job writes it; yesterday 97.5 %. */
    private static void seedAvailability(String device) throws Exception {
        long today = System.currentTimeMillis() / DAY * DAY;
        LineProtocol lines = new LineProtocol(1 << 12);
        for (int i = 1; i <= 10; i++) {
            long longest = i == 1 ? 30 * MINUTE : i * MINUTE;
            new DayAvailability("default", device, today - i * DAY, DAY, DAY - longest - (i == 1 ? 6 * MINUTE : 0),
                    2, longest).write(lines);
        }
        influxWrite(DayAvailability.RETENTION_POLICY, lines.take());
    }

    /** Writes line protocol into the platform's InfluxDB database, into policy {@code rp} or the default one. */
    private static void influxWrite(String rp, String lines) throws Exception {
        String url = "http://127.0.0.1:" + config.influxPort() + "/write?db=streamthings&precision=ms"
                + (rp == null ? "" : "&rp=" + rp);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(lines)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }

    /**
     * Runs {@code action} and answers the milliseconds until {@code condition} (JavaScript) holds in the page, by the
     * page's own clock, checked every 5 ms there, so that WebDriver's polling adds nothing.
     */
    private static long timeUntil(JavascriptExecutor js, ThrowingRunnable action, String condition) throws Exception {
        js.executeScript("window.__t0 = performance.now(); window.__t1 = undefined;"
                + "const timer = setInterval(() => { if (" + condition + ") { window.__t1 = performance.now();"
                + " clearInterval(timer); } }, 5);");
        action.run();
        new WebDriverWait((WebDriver) js, WAIT, Duration.ofMillis(20))
                .until(d -> js.executeScript("return window.__t1") != null);
        return Math.round(((Number) js.executeScript("return window.__t1 - window.__t0")).doubleValue());
    }

    /** Runs a session in a fresh Chromium; a failure leaves a screenshot and the page's source. */
    private void inBrowser(String failureShot, BrowserSession session) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        WebDriver driver = chrome();
        try {
            session.run(driver);
        } catch (Throwable e) {
            screenshot(driver, failureShot);
            System.out.println("DashboardIT failed on " + driver.getCurrentUrl() + ":\n" + driver.getPageSource());
            throw e;
        } finally {
            driver.quit();
        }
    }

    /** Signs in as admin through the form, which leads to the overview. */
    private static void signIn(WebDriver driver, WebDriverWait wait) throws Exception {
        driver.get(base + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-form")));
        driver.findElement(By.id("username")).clear();
        driver.findElement(By.id("username")).sendKeys("admin");
        driver.findElement(By.id("password")).sendKeys(adminPassword());
        driver.findElement(By.id("signin-submit")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid='page-info']")));
    }

    private static String adminPassword() throws Exception {
        return Files.readString(dataDir.resolve("initial-admin-password")).trim();
    }

    /** The {@code total} of a page of the API. */
    private static int total(String path) throws Exception {
        return JSON.readTree(getAs(api + path, admin)).path("total").asInt();
    }

    /** A browser session. */
    @FunctionalInterface
    private interface BrowserSession {
        void run(WebDriver driver) throws Exception;
    }

    /** An action that may throw. */
    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private WebDriver chrome() {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,900",
                "--user-data-dir=" + browserProfile.toAbsolutePath());
        return new ChromeDriver(service, options);
    }

    private static String text(WebDriver driver, String testid) {
        return driver.findElement(By.cssSelector("[data-testid='" + testid + "']")).getText().trim();
    }

    private static void screenshot(WebDriver driver, String name) throws Exception {
        File shot = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE);
        Path target = SCREENSHOTS.resolve(name + ".png");
        Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.out.println("DashboardIT screenshot: " + target.toAbsolutePath());
    }

    private static void ingest(String deviceAuth, double temperature) throws Exception {
        ingest(deviceAuth, "{\"metrics\":{\"temperature\":" + temperature + "}}");
    }

    /** One record over HTTP ingest; answers the status. */
    private static int ingest(String deviceAuth, String record) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(api + "/ingest/telemetry"))
                .header("Authorization", deviceAuth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(record)).build()).statusCode();
    }

    private static HttpResponse<String> post(String url, String token, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static String getAs(String url, String token) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build()).body();
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).build());
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
