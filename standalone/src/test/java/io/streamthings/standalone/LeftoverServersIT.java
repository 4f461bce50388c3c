package io.streamthings.standalone;

import static io.streamthings.standalone.StandaloneTestSupport.freePorts;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.embedded.Ports;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's pre-start step after a crash: servers a killed launcher left running on the same data folder are
 * stopped before the ports are checked; a process that is not ours is never touched, and a port held by something
 * else still stops the launcher with one line and exit code 2.
 */
class LeftoverServersIT {

    @TempDir
    Path dataDir;

    @Test
    void shouldStopThePostgresAndInfluxdAKilledLauncherLeftOnItsDataFolder() throws Exception {
        // Given a launcher that started PostgreSQL and influxd on the data folder and was killed with kill -9
        StandaloneConfig config = freePorts(dataDir);
        Process launcher = java(AbandonedServers.class.getName(), dataDir.toString(),
                String.valueOf(config.postgresPort()), String.valueOf(config.influxPort()));
        long influxPid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(launcher.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
                // the child's log lines
            }
            assertThat(line).as("the child JVM started both servers").isNotNull();
            influxPid = Long.parseLong(line.split(" ")[2]);
            launcher.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook runs
        }
        long postgresPid = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0)
                .trim());
        assertThat(alive(postgresPid)).as("PostgreSQL outlives the killed launcher").isTrue();
        assertThat(Ports.isFree(config.postgresPort())).isFalse();

        // When the next start runs its pre-start step
        Platform.stopLeftovers(dataDir);

        // Then both are gone and their ports are free for the new servers
        assertThat(alive(postgresPid)).isFalse();
        assertThat(alive(influxPid)).isFalse();
        assertThat(Ports.isFree(config.postgresPort())).isTrue();
        assertThat(Ports.isFree(config.influxPort())).isTrue();
    }

    @Test
    void shouldLeaveAProcessAloneWhosePidIsInAPidFileButThatIsNotOurServer() throws Exception {
        // Given pid files naming a live process that is neither a postgres nor an influxd of this folder
        Process stranger = new ProcessBuilder("sleep", "120").start();
        try {
            Files.createDirectories(dataDir.resolve("postgres"));
            Files.createDirectories(dataDir.resolve("influxdb"));
            Files.writeString(dataDir.resolve("postgres/postmaster.pid"), stranger.pid() + "\n" + dataDir + "\n");
            Files.writeString(dataDir.resolve("influxdb/influxd.pid"), stranger.pid() + "\n");

            // When the pre-start step runs
            Platform.stopLeftovers(dataDir);

            // Then the stranger lives on
            assertThat(stranger.isAlive()).isTrue();
        } finally {
            stranger.destroyForcibly().waitFor();
        }
    }

    @Test
    void shouldExitWithCode2AndOneLineWhenSomethingElseHoldsAPort() throws Exception {
        // Given a port of the configuration held by a socket that is no server of ours
        StandaloneConfig config = freePorts(dataDir);
        try (ServerSocket taken = new ServerSocket(config.kafkaPort())) {
            // When the launcher starts
            Process launcher = java(StandaloneLauncher.class.getName(), "--data-dir", dataDir.toString(),
                    "--bind", "127.0.0.1", "--http-port", String.valueOf(config.httpPort()),
                    "--admin-port", String.valueOf(config.adminPort()), "--kafka-port",
                    String.valueOf(config.kafkaPort()), "--mqtt-port", String.valueOf(config.mqttPort()),
                    "--postgres-port", String.valueOf(config.postgresPort()), "--influx-port",
                    String.valueOf(config.influxPort()));
            assertThat(launcher.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String output = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            // Then it refuses in one line, with exit code 2
            assertThat(launcher.exitValue()).as(output).isEqualTo(2);
            assertThat(output.lines().filter(l -> l.startsWith("streamthings: ")).toList()).containsExactly(
                    "streamthings: Kafka cannot start: port " + config.kafkaPort() + " is already in use (is another"
                            + " StreamThings or Kafka running? stop it, or choose another port in the configuration)");
            assertThat(output).doesNotContain("Exception", "\tat ");
        }
    }

    private static Process java(String mainClass, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
