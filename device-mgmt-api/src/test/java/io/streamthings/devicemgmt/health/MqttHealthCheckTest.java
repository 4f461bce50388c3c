package io.streamthings.devicemgmt.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MqttHealthCheckTest {

    @Test
    void shouldBeHealthyWhenTheBrokerAnswersConnack() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> received = CompletableFuture.supplyAsync(() -> answer(server, 0x20, 5));

            HealthCheck.Result result = check(server.getLocalPort());

            assertThat(result.isHealthy()).as(result.getMessage()).isTrue();
            assertThat(result.getMessage()).contains("return code 5");
            assertThat(received.get()).isEqualTo(0x10);
        }
    }

    @Test
    void shouldBeUnhealthyWhenSomethingElseAnswers() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture.supplyAsync(() -> answer(server, 'H', 0));

            assertThat(check(server.getLocalPort()).isHealthy()).isFalse();
        }
    }

    @Test
    void shouldBeUnhealthyWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = server.getLocalPort();
        }

        assertThat(check(port).isHealthy()).isFalse();
    }

    @Test
    void shouldEncodeAValidMqtt311ConnectPacket() {
        byte[] packet = MqttHealthCheck.connectPacket("abc");

        assertThat(packet[0]).isEqualTo((byte) 0x10);
        assertThat(packet[1]).isEqualTo((byte) (packet.length - 2));
        assertThat(new String(packet, 4, 4)).isEqualTo("MQTT");
        assertThat(packet[8]).isEqualTo((byte) 4);
    }

    private static HealthCheck.Result check(int port) {
        return new MqttHealthCheck("127.0.0.1", port, Duration.ofSeconds(2)).execute();
    }

    /** A one-shot fake broker: reads the first byte of the packet and answers with the given bytes. */
    private static int answer(ServerSocket server, int firstByte, int returnCode) {
        try (Socket s = server.accept()) {
            int type = new DataInputStream(s.getInputStream()).readUnsignedByte();
            s.getOutputStream().write(new byte[] {(byte) firstByte, 2, 0, (byte) returnCode});
            s.getOutputStream().flush();
            return type;
        } catch (IOException e) {
            return -1;
        }
    }
}
