package io.streamthings.embedded.testkit;

import io.streamthings.embedded.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    /** Starts mosquitto, anonymous clients allowed, and waits until it accepts connections. */
    public static MosquittoProcess start(Path dir) throws IOException, InterruptedException {
        return start(dir, List.of("allow_anonymous true"));
    }

    /**
     * Starts mosquitto with these configuration lines besides the listener and the defaults below (a line given here
     * wins over a default of the same name), and waits until it accepts connections.
     */
    public static MosquittoProcess start(Path dir, List<String> settings) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port = Ports.free();
        Path config = dir.resolve("mosquitto.conf");
        List<String> lines = new ArrayList<>();
        lines.add("listener " + port + " 127.0.0.1");
        lines.add("persistence false");
        lines.add("log_type error");
        // Started by root, mosquitto would become the user "mosquitto", who cannot read files in a private temp dir.
        lines.add("user " + System.getProperty("user.name"));
        // Unacknowledged messages per subscriber: ingest acknowledges only after Kafka, so allow many.
        lines.add("max_inflight_messages 1000");
        lines.add("max_queued_messages 100000");
        for (String line : settings) {
            String name = line.split("\\s+", 2)[0];
            lines.removeIf(l -> !l.startsWith("listener ") && l.split("\\s+", 2)[0].equals(name));
            lines.add(line);
        }
        Files.writeString(config, String.join("\n", lines) + "\n");
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

    /**
     * Writes a mosquitto password file for these users (name to password), hashed by {@code mosquitto_passwd -U}, for
     * a {@code password_file} setting.
     */
    public static Path passwordFile(Path file, java.util.Map<String, String> users)
            throws IOException, InterruptedException {
        StringBuilder plain = new StringBuilder();
        users.forEach((user, password) -> plain.append(user).append(':').append(password).append('\n'));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, plain);
        Process hash = new ProcessBuilder("mosquitto_passwd", "-U", file.toString()).redirectErrorStream(true)
                .start();
        String output = new String(hash.getInputStream().readAllBytes());
        if (!hash.waitFor(60, TimeUnit.SECONDS) || hash.exitValue() != 0) {
            throw new IOException("mosquitto_passwd -U failed: " + output);
        }
        return file;
    }

    /** The CPU time mosquitto used so far, nanoseconds (from {@code /proc}; 0 where there is none). */
    public long cpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // utime + stime, 100 ticks/s
        } catch (IOException | RuntimeException e) {
            return 0;
        }
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
