package io.streamthings.edge;

import java.lang.management.ManagementFactory;

/**
 * {@code java -jar edge-runtime.jar --server tcp://host:1883 --device-id d1 --tenant acme --token ... [--source ...]}
 * or {@code --config edge.yml}; see {@link EdgeConfig} for every option. Runs until stopped (SIGTERM closes it
 * cleanly; a {@code kill -9} loses nothing that was queued).
 */
public final class EdgeMain {

    private EdgeMain() {}

    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long mainAt = System.currentTimeMillis() - jvmStart;
        EdgeConfig config;
        try {
            config = EdgeConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("edge-runtime: " + e.getMessage());
            System.exit(2);
            return;
        }
        EdgeRuntime runtime;
        try {
            runtime = new EdgeRuntime(config, EdgeRuntime.sources(config));
        } catch (IllegalStateException e) {
            System.err.println("edge-runtime: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "edge-shutdown"));
        runtime.start();
        long sinceJvmStart = System.currentTimeMillis() - jvmStart;
        // a fixed line scripts, tests and the benchmark wait for
        System.out.println("edge-runtime started: " + runtime.engine().rules().size() + " rule(s) running "
                + sinceJvmStart + " ms after JVM start (main at " + mainAt + " ms), sources " + config.sources());
    }
}
