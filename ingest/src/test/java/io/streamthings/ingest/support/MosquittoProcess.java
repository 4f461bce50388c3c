package io.streamthings.ingest.support;

import io.streamthings.embedded.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code mosquitto} broker as a child process on a free loopback port, with a generated config file. Used to
 * prove ingest works against an external broker with shared subscriptions; who may connect is mosquitto's concern
 * here (anonymous allowed), only the subscriber and Kafka path is under test.
 */
public final class MosquittoProcess implements AutoCloseable {

    /** Where Debian installs the broker. */
    public static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final Process process;
    private final int port;

    private MosquittoProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts mosquitto and waits until it accepts connections. */
    public static MosquittoProcess start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port = Ports.free();
        Path config = dir.resolve("mosquitto.conf");
        Files.writeString(config, String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "persistence false",
                // Unacknowledged messages per subscriber: ingest acknowledges only after Kafka, so allow many.
                "max_inflight_messages 1000",
                "max_queued_messages 100000",
                "log_type error",
                ""));
        Process process = new ProcessBuilder(BINARY.toString(), "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new MosquittoProcess(process, port);
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IOException("mosquitto exited with " + process.exitValue() + "; see "
                            + dir.resolve("mosquitto.log"));
                }
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IOException("mosquitto did not listen on " + port + " within 10 s");
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
