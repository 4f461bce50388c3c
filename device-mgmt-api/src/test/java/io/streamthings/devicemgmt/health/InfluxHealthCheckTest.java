package io.streamthings.devicemgmt.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InfluxHealthCheckTest {

    @Test
    void shouldBeHealthyOnlyWhenPingAnswers204() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ping", exchange -> {
            exchange.getResponseHeaders().add("X-Influxdb-Version", "1.6.7");
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.createContext("/broken/ping", exchange -> {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();

            var healthy = new InfluxHealthCheck(base, Duration.ofSeconds(2)).execute();
            var broken = new InfluxHealthCheck(base + "/broken/", Duration.ofSeconds(2)).execute();

            assertThat(healthy.isHealthy()).isTrue();
            assertThat(healthy.getMessage()).contains("1.6.7");
            assertThat(broken.isHealthy()).isFalse();
        } finally {
            server.stop(0);
        }
    }
}
