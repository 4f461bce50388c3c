package io.streamthings.simulator.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class OperationExecutorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A device that records what it was told to do and what it reported. */
    static class FakeDevice implements SimulatedDevice {
        final List<String> events = new ArrayList<>();
        final List<JsonNode> responses = new ArrayList<>();
        Duration interval;

        @Override
        public String id() {
            return "d1";
        }

        @Override
        public CompletableFuture<Void> reboot(Duration downtime) {
            events.add("reboot " + downtime.toMillis());
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void setInterval(Duration interval) {
            this.interval = interval;
            events.add("interval " + interval.toSeconds());
        }

        @Override
        public CompletableFuture<Void> reportCompliance(JsonNode report) {
            events.add("compliance " + report);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> report(String operationId, String status, JsonNode response) {
            events.add(operationId + " " + status);
            responses.add(response);
            return CompletableFuture.completedFuture(null);
        }
    }

    private final FakeDevice device = new FakeDevice();
    private final OperationExecutor executor = new OperationExecutor(0, 1, Duration.ofMillis(250));

    private static OperationRequest op(String json) throws Exception {
        return OperationRequest.fromHttp(JSON.readTree(json));
    }

    @Test
    void shouldReportInProgressThenCompletedWhenBuzzed() throws Exception {
        executor.execute(device, op("{\"id\":\"op-1\",\"kind\":\"COMMAND\",\"code\":\"buzz\"}")).join();

        assertThat(device.events).containsExactly("op-1 IN_PROGRESS", "op-1 COMPLETED");
        assertThat(executor.completed()).isEqualTo(1);
    }

    @Test
    void shouldRebootBetweenInProgressAndCompleted() throws Exception {
        executor.execute(device, op("{\"id\":\"op-1\",\"code\":\"reboot\"}")).join();

        assertThat(device.events).containsExactly("op-1 IN_PROGRESS", "reboot 250", "op-1 COMPLETED");
    }

    @Test
    void shouldChangeTheIntervalWhenSetIntervalHasAWholeNumber() throws Exception {
        executor.execute(device, op("{\"id\":\"op-1\",\"code\":\"set-interval\",\"params\":{\"interval\":7}}"))
                .join();

        assertThat(device.interval).isEqualTo(Duration.ofSeconds(7));
        assertThat(device.events).containsExactly("op-1 IN_PROGRESS", "interval 7", "op-1 COMPLETED");
        assertThat(device.responses.get(1).path("interval").asInt()).isEqualTo(7);
    }

    @Test
    void shouldRejectSetIntervalWhoseIntervalIsNotAPositiveWholeNumber() throws Exception {
        executor.execute(device, op("{\"id\":\"a\",\"code\":\"set-interval\",\"params\":{\"interval\":\"fast\"}}"))
                .join();
        executor.execute(device, op("{\"id\":\"b\",\"code\":\"set-interval\",\"params\":{\"interval\":0}}")).join();
        executor.execute(device, op("{\"id\":\"c\",\"code\":\"set-interval\",\"params\":{\"interval\":1.5}}"))
                .join();

        assertThat(device.events).containsExactly("a REJECTED", "b REJECTED", "c REJECTED");
        assertThat(device.interval).isNull();
        assertThat(device.responses.get(0).path("message").asText()).contains("interval");
    }

    @Test
    void shouldRejectAnUnknownFeatureAndAnEdgeRule() throws Exception {
        executor.execute(device, op("{\"id\":\"a\",\"code\":\"self-destruct\"}")).join();
        executor.execute(device, op("{\"id\":\"b\",\"kind\":\"EDGE_RULE\",\"code\":\"rule\"}")).join();

        assertThat(device.events).containsExactly("a REJECTED", "b REJECTED");
        assertThat(device.responses.get(0).path("message").asText()).contains("self-destruct");
        assertThat(executor.rejected()).isEqualTo(2);
    }

    @Test
    void shouldRunADuplicateDeliveryOnceAndReportItsFinalStatusAgain() throws Exception {
        OperationRequest first = op("{\"id\":\"op-1\",\"code\":\"reboot\",\"idempotencyKey\":\"k-1\"}");
        executor.execute(device, first).join();
        executor.execute(device, first).join();

        assertThat(device.events).containsExactly("op-1 IN_PROGRESS", "reboot 250", "op-1 COMPLETED",
                "op-1 COMPLETED");
        assertThat(executor.duplicates()).isEqualTo(1);
        assertThat(executor.completed()).isEqualTo(1);
    }

    @Test
    void shouldTreatTheSameKeyUnderAnotherOperationIdAsADuplicate() throws Exception {
        executor.execute(device, op("{\"id\":\"op-1\",\"code\":\"buzz\",\"idempotencyKey\":\"k\"}")).join();
        executor.execute(device, op("{\"id\":\"op-2\",\"code\":\"buzz\",\"idempotencyKey\":\"k\"}")).join();

        assertThat(device.events).containsExactly("op-1 IN_PROGRESS", "op-1 COMPLETED", "op-1 COMPLETED");
    }

    @Test
    void shouldNotReportADuplicateOfAnOperationStillRunning() throws Exception {
        CompletableFuture<Void> back = new CompletableFuture<>();
        FakeDevice slow = new FakeDevice() {
            @Override
            public CompletableFuture<Void> reboot(Duration downtime) {
                events.add("reboot");
                return back;
            }
        };
        OperationRequest reboot = op("{\"id\":\"op-1\",\"code\":\"reboot\"}");
        CompletableFuture<Void> running = executor.execute(slow, reboot);
        executor.execute(slow, reboot).join();
        assertThat(slow.events).containsExactly("op-1 IN_PROGRESS", "reboot");

        back.complete(null);
        running.join();
        assertThat(slow.events).containsExactly("op-1 IN_PROGRESS", "reboot", "op-1 COMPLETED");
    }

    @Test
    void shouldFailEveryOperationWhenTheFailShareIsOne() throws Exception {
        OperationExecutor failing = new OperationExecutor(1, 1, Duration.ZERO);
        failing.execute(device, op("{\"id\":\"op-1\",\"code\":\"reboot\"}")).join();

        assertThat(device.events).containsExactly("op-1 IN_PROGRESS", "op-1 ERROR");
        assertThat(device.responses.get(1).path("message").asText()).contains("simulated failure");
        assertThat(failing.failed()).isEqualTo(1);
    }

    @Test
    void shouldFailAboutTheShareAskedFor() throws Exception {
        OperationExecutor someFail = new OperationExecutor(0.2, 42, Duration.ZERO);
        for (int i = 0; i < 1_000; i++) {
            someFail.execute(device, op("{\"id\":\"op-" + i + "\",\"code\":\"buzz\"}")).join();
        }

        assertThat(someFail.failed()).isBetween(150L, 250L);
        assertThat(someFail.failed() + someFail.completed()).isEqualTo(1_000);
    }

    @Test
    void shouldReportComplianceForEachFeatureOfAPolicy() throws Exception {
        executor.execute(device, op("{\"id\":\"p-1\",\"kind\":\"POLICY\",\"code\":\"policy\",\"params\":"
                + "{\"version\":3,\"features\":{\"set-interval\":{\"interval\":30},\"buzz\":{},"
                + "\"firmware\":{\"version\":2}}}}")).join();

        assertThat(device.events).containsExactly("p-1 IN_PROGRESS", "interval 30",
                "compliance {\"version\":3,\"features\":{\"set-interval\":\"compliant\",\"buzz\":\"compliant\","
                        + "\"firmware\":\"non-compliant\"}}", "p-1 COMPLETED");
        JsonNode compliance = device.responses.get(1).path("compliance");
        assertThat(compliance.path("set-interval").asText()).isEqualTo("compliant");
        assertThat(compliance.path("buzz").asText()).isEqualTo("compliant");
        assertThat(compliance.path("firmware").asText()).isEqualTo("non-compliant");
    }

    @Test
    void shouldReadTheOperationInsideTheMqttServersEnvelope() {
        byte[] message = ("{\"tenant\":\"default\",\"deviceId\":\"d1\",\"operationId\":\"op-9\",\"payload\":"
                + "{\"kind\":\"CONFIG\",\"code\":\"set-interval\",\"params\":{\"interval\":5},"
                + "\"idempotencyKey\":\"key-9\"}}").getBytes(StandardCharsets.UTF_8);

        OperationRequest op = OperationRequest.fromMqtt(message);

        assertThat(op.operationId()).isEqualTo("op-9");
        assertThat(op.kind()).isEqualTo("CONFIG");
        assertThat(op.code()).isEqualTo("set-interval");
        assertThat(op.params().path("interval").asInt()).isEqualTo(5);
        assertThat(op.idempotencyKey()).isEqualTo("key-9");
    }

    @Test
    void shouldRunAOneWayOperationWithoutReporting() throws Exception {
        executor.execute(device, op("{\"operationId\":\"op-1\",\"code\":\"set-interval\",\"params\":{\"interval\":3},"
                + "\"oneWay\":true}")).join();

        assertThat(device.events).containsExactly("interval 3");
        assertThat(executor.completed()).isEqualTo(1);
    }

    @Test
    void shouldUseTheOperationIdAsKeyWhenNoneIsGiven() throws Exception {
        assertThat(op("{\"operationId\":\"op-3\",\"code\":\"buzz\"}").idempotencyKey()).isEqualTo("op-3");
    }

    @Test
    void shouldRefuseAPendingOperationWithoutAnId() {
        assertThatThrownBy(() -> op("{\"code\":\"buzz\"}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without an id");
    }

    @Test
    void shouldRefuseAFailShareOutsideZeroToOne() {
        assertThatThrownBy(() -> new OperationExecutor(1.5, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 0 and 1");
    }
}
