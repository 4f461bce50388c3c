package io.streamthings.standalone;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the whole StreamThings platform in this JVM and keeps it running until Ctrl-C or SIGTERM, when it stops
 * every part, influxd included. Problems the user can fix (a port in use, influxd missing, a bad flag) are reported
 * in one line with exit code 2, never as a stack trace.
 */
public final class StandaloneLauncher {

    private StandaloneLauncher() {}

    /** Entry point; see {@link StandaloneConfig#USAGE} for the flags. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && ("--help".equals(args[0]) || "-h".equals(args[0]))) {
            System.out.println(StandaloneConfig.USAGE);
            return;
        }
        StandaloneConfig config;
        try {
            config = StandaloneConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("streamthings: " + e.getMessage());
            System.err.println(StandaloneConfig.USAGE);
            System.exit(2);
            return;
        }

        long begin = System.nanoTime();
        System.out.println("StreamThings: starting in standalone mode, data in " + config.dataDir());
        Platform platform;
        try {
            platform = Platform.start(config);
        } catch (StartupException e) {
            System.err.println("streamthings: " + e.getMessage());
            System.exit(2);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("StreamThings: stopping...");
            platform.close();
            System.out.println("StreamThings: stopped");
            stopped.countDown();
        }, "streamthings-shutdown"));

        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        System.out.printf("StreamThings is up in %.1f s%n", took.toMillis() / 1000.0);
        for (Map.Entry<String, String> url : platform.urls().entrySet()) {
            System.out.printf("  %-16s %s%n", url.getKey(), url.getValue());
        }
        System.out.println("Press Ctrl-C to stop.");
        stopped.await();
    }
}
