package io.streamthings.simulator.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the operations simulated devices receive: {@code reboot} (offline for a while, then back), {@code set-interval}
 * (params {@code {"interval": seconds}}, the device's publish interval), {@code buzz} (nothing to do) and POLICY
 * operations (each feature of the policy applied where the device knows it, compliance reported per feature). Each
 * runs as the platform expects of a request/response operation: IN_PROGRESS, then COMPLETED or ERROR with a response;
 * an operation the device cannot run at all (an unknown feature, bad params, an edge rule) is REJECTED at once.
 *
 * <p>A delivery whose idempotency key the device has seen already is not run again (the platform delivers at least
 * once); if that operation has finished, its final status is reported again, so a report that was lost is made good.
 * The keys a device remembers are bounded ({@value #REMEMBERED_KEYS} per device, the oldest forgotten first) and,
 * like a real device's flash, survive a simulated reboot.
 *
 * <p>{@code failShare} of the operations end in ERROR (drawn from a seeded random, so a demo repeats), which is how a
 * demo shows a rollout aborted by its threshold. Thread-safe.
 */
public final class OperationExecutor {

    public static final String IN_PROGRESS = "IN_PROGRESS";
    public static final String COMPLETED = "COMPLETED";
    public static final String ERROR = "ERROR";
    public static final String REJECTED = "REJECTED";

    static final int REMEMBERED_KEYS = 1_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final double failShare;
    private final Random random;
    private final Duration rebootDowntime;
    /** Per device: idempotency key to the final status reported (null while it runs). */
    private final Map<String, Map<String, Finished>> seen = new ConcurrentHashMap<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile Listener listener = (device, operationId) -> { };

    /** The final status of an operation and its response, to report again on a duplicate delivery. */
    private record Finished(String operationId, String status, JsonNode response) {}

    /** Told of every operation as it arrives, before anything runs (the benchmarks time delivery with it). */
    @FunctionalInterface
    public interface Listener {
        void received(String deviceId, String operationId);
    }

    /**
     * @param failShare share of the operations to end in ERROR, 0..1
     * @param seed seeds the draw of the failing ones
     * @param rebootDowntime how long a reboot keeps a device offline
     * @throws IllegalArgumentException for a share outside 0..1 or a negative downtime
     */
    public OperationExecutor(double failShare, long seed, Duration rebootDowntime) {
        if (!(failShare >= 0 && failShare <= 1)) {
            throw new IllegalArgumentException("the fail share must be between 0 and 1, got " + failShare);
        }
        if (rebootDowntime.isNegative()) {
            throw new IllegalArgumentException("the reboot downtime cannot be negative");
        }
        this.failShare = failShare;
        this.random = new Random(seed);
        this.rebootDowntime = rebootDowntime;
    }

    public void listener(Listener listener) {
        this.listener = listener;
    }

    /**
     * Runs an operation on a device, or reports again what a duplicate delivery of it ended with.
     *
     * @return completes when the last report for this delivery was taken (or failed: the failure is in it)
     */
    public CompletableFuture<Void> execute(SimulatedDevice device, OperationRequest op) {
        return executeAs(op.oneWay() ? new Silent(device) : device, op);
    }

    private CompletableFuture<Void> executeAs(SimulatedDevice device, OperationRequest op) {
        received.incrementAndGet();
        listener.received(device.id(), op.operationId());
        Map<String, Finished> keys = seen.computeIfAbsent(device.id(), d -> new LinkedHashMap<>());
        synchronized (keys) {
            if (keys.containsKey(op.idempotencyKey())) {
                duplicates.incrementAndGet();
                Finished done = keys.get(op.idempotencyKey());
                return done == null ? CompletableFuture.completedFuture(null)
                        : device.report(done.operationId(), done.status(), done.response());
            }
            keys.put(op.idempotencyKey(), null);
            if (keys.size() > REMEMBERED_KEYS) {
                Iterator<String> oldest = keys.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
        }
        String refusal = refusal(op);
        if (refusal != null) {
            return finish(device, op, REJECTED, message(refusal));
        }
        boolean fail;
        synchronized (random) {
            fail = random.nextDouble() < failShare;
        }
        return device.report(op.operationId(), IN_PROGRESS, null).thenCompose(v -> {
            if (fail) {
                return finish(device, op, ERROR, message("simulated failure (--fail-share " + failShare + ")"));
            }
            return run(device, op).thenCompose(response -> finish(device, op, COMPLETED, response));
        });
    }

    private CompletableFuture<Void> finish(SimulatedDevice device, OperationRequest op, String status,
            JsonNode response) {
        (COMPLETED.equals(status) ? completed : ERROR.equals(status) ? failed : rejected).incrementAndGet();
        Map<String, Finished> keys = seen.get(device.id());
        synchronized (keys) {
            if (keys.containsKey(op.idempotencyKey())) {
                keys.put(op.idempotencyKey(), new Finished(op.operationId(), status, response));
            }
        }
        return device.report(op.operationId(), status, response);
    }

    /** A one-way operation is done once delivered: the device runs it and reports nothing. */
    private record Silent(SimulatedDevice device) implements SimulatedDevice {
        @Override
        public String id() {
            return device.id();
        }

        @Override
        public CompletableFuture<Void> reboot(Duration downtime) {
            return device.reboot(downtime);
        }

        @Override
        public void setInterval(Duration interval) {
            device.setInterval(interval);
        }

        @Override
        public CompletableFuture<Void> report(String operationId, String status, JsonNode response) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> reportCompliance(JsonNode report) {
            return device.reportCompliance(report);
        }
    }

    /** Why the device cannot run this at all, or null when it can. */
    static String refusal(OperationRequest op) {
        if ("EDGE_RULE".equals(op.kind())) {
            return "not an edge device: edge rules are not run here";
        }
        if ("POLICY".equals(op.kind())) {
            return null;
        }
        return switch (op.code()) {
            case "reboot", "buzz" -> null;
            case "set-interval" -> intervalSeconds(op.params()) > 0 ? null
                    : "set-interval needs params {\"interval\": seconds}, a whole number of at least 1";
            default -> "unknown feature \"" + op.code() + "\"";
        };
    }

    private CompletableFuture<JsonNode> run(SimulatedDevice device, OperationRequest op) {
        if ("POLICY".equals(op.kind())) {
            ObjectNode response = applyPolicy(device, op.params());
            // The policies service reads compliance from its own endpoint; the operation's response carries it too.
            ObjectNode report = JSON.createObjectNode();
            if (op.params().has("version")) {
                report.set("version", op.params().get("version"));
            }
            report.set("features", response.get("compliance"));
            return device.reportCompliance(report).handle((v, e) -> {
                if (e != null) {
                    response.put("complianceReport", "failed: " + e.getMessage());
                }
                return response;
            });
        }
        return switch (op.code()) {
            case "reboot" -> device.reboot(rebootDowntime).thenApply(v -> message("rebooted"));
            case "set-interval" -> {
                int seconds = intervalSeconds(op.params());
                device.setInterval(Duration.ofSeconds(seconds));
                ObjectNode r = JSON.createObjectNode();
                r.put("interval", seconds);
                yield CompletableFuture.completedFuture(r);
            }
            default -> CompletableFuture.completedFuture(message("buzzed"));
        };
    }

    /**
     * Applies each feature of a policy the device knows and reports compliance per feature:
     * {@code {"compliance": {"set-interval": "compliant", "firmware": "non-compliant"}}}. The policy's features are
     * the fields of {@code params.features} when present, else of {@code params}, each holding that feature's
     * configuration.
     */
    static ObjectNode applyPolicy(SimulatedDevice device, JsonNode params) {
        JsonNode features = params.has("features") && params.get("features").isObject() ? params.get("features")
                : params;
        ObjectNode response = JSON.createObjectNode();
        ObjectNode compliance = response.putObject("compliance");
        boolean flat = features == params;
        features.fields().forEachRemaining(f -> {
            if (flat && f.getKey().equals("version")) {
                return; // the policy's version, not a feature
            }
            boolean ok = switch (f.getKey()) {
                case "set-interval" -> {
                    int seconds = intervalSeconds(f.getValue());
                    if (seconds > 0) {
                        device.setInterval(Duration.ofSeconds(seconds));
                    }
                    yield seconds > 0;
                }
                case "reboot", "buzz" -> true; // nothing to configure
                default -> false;
            };
            compliance.put(f.getKey(), ok ? "compliant" : "non-compliant");
        });
        return response;
    }

    /** The {@code interval} param in seconds, or 0 when it is missing or not a positive whole number. */
    static int intervalSeconds(JsonNode params) {
        JsonNode v = params == null ? null : params.get("interval");
        return v != null && v.canConvertToInt() && v.isIntegralNumber() && v.intValue() > 0 ? v.intValue() : 0;
    }

    private static ObjectNode message(String text) {
        return JSON.createObjectNode().put("message", text);
    }

    /** Deliveries received, duplicates among them included. */
    public long received() {
        return received.get();
    }

    /** Deliveries not run because their idempotency key was seen before. */
    public long duplicates() {
        return duplicates.get();
    }

    public long completed() {
        return completed.get();
    }

    /** Operations that ended in ERROR (the share asked to fail). */
    public long failed() {
        return failed.get();
    }

    public long rejected() {
        return rejected.get();
    }
}
