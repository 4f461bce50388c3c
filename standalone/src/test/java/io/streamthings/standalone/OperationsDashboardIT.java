package io.streamthings.standalone;

import static io.streamthings.standalone.StandaloneTestSupport.adminToken;
import static io.streamthings.standalone.StandaloneTestSupport.freePorts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamthings.simulator.DeviceSimulator;
import io.streamthings.simulator.SimulatorConfig;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operations page in a real browser against the real platform, with the device simulator's devices connected
 * over MQTT to the platform's own MQTT server and running what they receive: a group operation sent from the form
 * reaches COMPLETED on every device while the page counts it live; a device's page lists its operations and sends one
 * (set-interval) whose history shows; an operation the device type lacks is refused with the server's message; a
 * device that pulls over HTTP runs one and reports it; a rollout to devices that are offline is cancelled from the
 * page. Screenshots go to {@code target/screenshots/}.
 */
class OperationsDashboardIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int DEVICES = 3;

    @TempDir
    static Path dataDir;

    private static Platform platform;
    private static String base;
    private static String api;
    private static String admin;
    private static Thread simulator;
    private static Thread httpSimulator;

    @TempDir
    Path browserProfile;

    @BeforeAll
    static void startPlatformAndDevices() throws Exception {
        assumeTrue(DashboardIT.browserAvailable(System.getenv(), CHROMIUM, CHROMEDRIVER),
                "OperationsDashboardIT needs Debian's chromium and chromedriver");
        StandaloneConfig config = freePorts(dataDir);
        platform = Platform.start(config);
        base = "http://127.0.0.1:" + config.httpPort();
        api = base + "/api/v1";
        admin = adminToken(HTTP, api, Files.readString(dataDir.resolve("initial-admin-password")).trim());

        // The simulator creates its device type (with the features reboot, set-interval, buzz) and the group,
        // enrolls the devices into it and connects them; telemetry off, operations on.
        SimulatorConfig sim = SimulatorConfig.parse(new String[] {"--api", api, "--mqtt",
            "tcp://127.0.0.1:" + config.mqttPort(), "--token", admin, "--devices", String.valueOf(DEVICES),
            "--prefix", "opsdash", "--group", "opsdash", "--rate", "0", "--duration", "3600", "--progress", "3600",
            "--reboot-downtime", "200"});
        CountDownLatch ready = new CountDownLatch(1);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        simulator = new Thread(() -> {
            try {
                DeviceSimulator.run(sim, executor -> ready.countDown());
            } catch (InterruptedException e) {
                // the test is over
            } catch (Throwable e) {
                failed.set(e);
                ready.countDown();
            }
        }, "operations-it-simulator");
        simulator.setDaemon(true);
        simulator.start();
        assertThat(ready.await(3, TimeUnit.MINUTES)).isTrue();
        assertThat(failed.get()).isNull();
        // One device that cannot hold a connection: it pulls its operations over HTTP every second.
        SimulatorConfig pulling = SimulatorConfig.parse(new String[] {"--api", api, "--mqtt",
            "tcp://127.0.0.1:" + config.mqttPort(), "--token", admin, "--devices", "1", "--prefix", "opsdash-http",
            "--transport", "http", "--poll", "1", "--rate", "0", "--duration", "3600", "--progress", "3600"});
        CountDownLatch pullingReady = new CountDownLatch(1);
        httpSimulator = new Thread(() -> {
            try {
                DeviceSimulator.run(pulling, executor -> pullingReady.countDown());
            } catch (InterruptedException e) {
                // the test is over
            } catch (Throwable e) {
                failed.set(e);
                pullingReady.countDown();
            }
        }, "operations-it-http-simulator");
        httpSimulator.setDaemon(true);
        httpSimulator.start();
        assertThat(pullingReady.await(1, TimeUnit.MINUTES)).isTrue();
        assertThat(failed.get()).isNull();
        // Online in the platform's eyes: an operation created now is pushed at once.
        await().atMost(WAIT).until(() -> JSON.readTree(getAs(api + "/devices?group=opsdash&online=true&limit=1"))
                .path("total").asInt() == DEVICES);
    }

    @AfterAll
    static void stop() throws Exception {
        for (Thread t : new Thread[] {simulator, httpSimulator}) {
            if (t != null) {
                t.interrupt(); // its devices disconnect or stop polling
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void shouldSendFollowAndCancelOperationsFromTheDashboards() throws Exception {
        // Devices that never connect, for the rollout to cancel.
        assertThat(post(api + "/groups", "{\"id\":\"opsdash-off\",\"name\":\"Offline\"}").statusCode()).isEqualTo(201);
        for (int i = 1; i <= 2; i++) {
            HttpResponse<String> r = post(api + "/devices", "{\"id\":\"opsdash-off-" + i + "\",\"name\":\"Off " + i
                    + "\",\"type\":\"sim-sensor\",\"groups\":[\"opsdash-off\"]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        Files.createDirectories(SCREENSHOTS);
        WebDriver driver = chrome();
        try {
            inBrowser(driver);
        } catch (Throwable e) {
            screenshot(driver, "operations-failure");
            System.out.println("OperationsDashboardIT failed on " + driver.getCurrentUrl() + ":\n"
                    + driver.getPageSource());
            throw e;
        } finally {
            driver.quit();
        }
    }

    private void inBrowser(WebDriver driver) throws Exception {
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        signIn(driver, wait);

        // A group operation from the form; the rollout page counts every device COMPLETED without a reload.
        driver.get(base + "/#/operations");
        fillForm(driver, wait, "group", "opsdash", "COMMAND", "buzz", "{}");
        driver.findElement(By.id("op-send")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid='rollout-title']")));
        String rolloutId = driver.getCurrentUrl().replaceAll(".*#/operations/", "");
        assertThat(rolloutId).startsWith("ro-");
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid='count-COMPLETED']"),
                String.valueOf(DEVICES)));
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid='rollout-status']"), "COMPLETED"));
        assertThat(driver.findElements(By.cssSelector("[data-testid='rollout-operations'] tbody tr")))
                .hasSize(DEVICES);
        screenshot(driver, "operations-rollout");
        JsonNode rollout = JSON.readTree(getAs(api + "/operations/" + rolloutId));
        assertThat(rollout.path("counts").path("COMPLETED").asInt()).isEqualTo(DEVICES);

        // The rollouts list links to it.
        driver.get(base + "/#/operations");
        wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid='rollout-link-" + rolloutId + "']")));

        // A device's page lists its operations and sends one, prefilled with the device.
        driver.get(base + "/#/devices/opsdash-1");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("[data-testid='device-operation-table']"), "buzz"));
        assertThat(driver.findElement(By.cssSelector("[data-testid='device-operation-table']")).getText())
                .contains("COMPLETED");
        driver.findElement(By.cssSelector("[data-testid='device-send-operation']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("op-form")));
        assertThat(driver.findElement(By.id("op-target-kind")).getAttribute("value")).isEqualTo("device");
        assertThat(driver.findElement(By.id("op-target")).getAttribute("value")).isEqualTo("opsdash-1");
        fillForm(driver, wait, null, null, "CONFIG", "set-interval", "{\"interval\": 5}");
        driver.findElement(By.id("op-send")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid='operation-status']"), "COMPLETED"));
        assertThat(driver.findElement(By.cssSelector("[data-testid='operation-response']")).getText())
                .contains("\"interval\":5");
        assertThat(driver.findElement(By.cssSelector("[data-testid='operation-history']")).getText())
                .contains("DELIVERED", "IN_PROGRESS", "COMPLETED");
        screenshot(driver, "operations-one");

        // A feature the device type lacks: the server's 422 message on the page, nothing created.
        int before = JSON.readTree(getAs(api + "/devices/opsdash-1/operations?limit=1")).path("total").asInt();
        driver.get(base + "/#/operations/send/device/opsdash-1");
        fillForm(driver, wait, null, null, "COMMAND", "self-destruct", "{}");
        driver.findElement(By.id("op-send")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid='op-result'] [data-testid='error']")));
        assertThat(error.getText()).contains("self-destruct");
        assertThat(JSON.readTree(getAs(api + "/devices/opsdash-1/operations?limit=1")).path("total").asInt())
                .isEqualTo(before);
        // Params that are not JSON never leave the page.
        driver.findElement(By.id("op-params")).clear();
        driver.findElement(By.id("op-params")).sendKeys("{interval:");
        driver.findElement(By.id("op-send")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid='op-result']"),
                "Params are not JSON"));

        // The device that pulls over HTTP runs what it is sent and reports over HTTP; its page shows it.
        driver.get(base + "/#/operations/send/device/opsdash-http-1");
        fillForm(driver, wait, null, null, "COMMAND", "set-interval", "{\"interval\": 9}");
        driver.findElement(By.id("op-send")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid='operation-status']"), "COMPLETED"));
        assertThat(driver.findElement(By.cssSelector("[data-testid='operation-history']")).getText())
                .contains("http");

        // A rollout to offline devices, one at a time: cancelled from its page.
        driver.get(base + "/#/operations");
        fillForm(driver, wait, "group", "opsdash-off", "COMMAND", "reboot", "{}");
        driver.findElement(By.id("op-batch")).sendKeys("1");
        driver.findElement(By.id("op-send")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid='rollout-status']"), "RUNNING"));
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid='rollout-cancel']"))).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid='rollout-status']"), "CANCELLED"));
        wait.until(d -> Integer.parseInt(text(d, "count-CANCELLED")) >= 1);
        screenshot(driver, "operations-cancelled");
    }

    /** Fills the send form; a null target leaves the prefilled one. */
    private static void fillForm(WebDriver driver, WebDriverWait wait, String targetKind, String target, String kind,
            String code, String params) {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("op-form")));
        if (targetKind != null) {
            new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("op-target-kind")))
                    .selectByValue(targetKind);
            driver.findElement(By.id("op-target")).clear();
            driver.findElement(By.id("op-target")).sendKeys(target);
        }
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("op-kind"))).selectByValue(kind);
        driver.findElement(By.id("op-code")).clear();
        driver.findElement(By.id("op-code")).sendKeys(code);
        driver.findElement(By.id("op-params")).clear();
        driver.findElement(By.id("op-params")).sendKeys(params);
    }

    private static void signIn(WebDriver driver, WebDriverWait wait) throws Exception {
        driver.get(base + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-form")));
        driver.findElement(By.id("username")).clear();
        driver.findElement(By.id("username")).sendKeys("admin");
        driver.findElement(By.id("password")).sendKeys(
                Files.readString(dataDir.resolve("initial-admin-password")).trim());
        driver.findElement(By.id("signin-submit")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid='page-info']")));
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
        System.out.println("OperationsDashboardIT screenshot: " + target.toAbsolutePath());
    }

    private static HttpResponse<String> post(String url, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String getAs(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return r.body();
    }
}
