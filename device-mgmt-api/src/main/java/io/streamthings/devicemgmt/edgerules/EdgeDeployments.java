package io.streamthings.devicemgmt.edgerules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamthings.devicemgmt.operations.OperationState;

/**
 * The two halves of a deployment that are plain data: the EDGE_RULE operation's params as the edge runtime reads them
 * ({@code code} = the rule id; {@code params} = version, action, state, app: see the runtime's {@code EdgeRuleSpec}),
 * and a deployment's state read off its operation's.
 */
public final class EdgeDeployments {

    public static final String CARRY = "carry";
    public static final String RESET = "reset";

    private static final ObjectMapper JSON = new ObjectMapper();

    private EdgeDeployments() {}

    /** The params of an EDGE_RULE operation that deploys {@code app} as {@code version}. */
    public static ObjectNode params(long version, String stateMode, String app) {
        ObjectNode p = JSON.createObjectNode();
        p.put("version", version);
        p.put("action", "deploy");
        p.put("state", stateMode);
        p.put("app", app);
        return p;
    }

    /** {@code carry} (the default when null) or {@code reset}; anything else is an IllegalArgumentException. */
    public static String stateMode(String requested) {
        if (requested == null || requested.isBlank()) {
            return CARRY;
        }
        return switch (requested.trim()) {
            case CARRY -> CARRY;
            case RESET -> RESET;
            default -> throw new IllegalArgumentException("state must be carry or reset: " + requested);
        };
    }

    /**
     * A deployment's state from its operation's: open operations are IN_PROGRESS (and the sweeper ends those past
     * their deadline, so no deployment stays in progress past its timeout), COMPLETED is RUNNING, ERROR and REJECTED
     * are FAILED, the other final states keep their names.
     */
    public static String state(OperationState operation) {
        return switch (operation) {
            case PENDING, SENT, DELIVERED, IN_PROGRESS -> "IN_PROGRESS";
            case COMPLETED -> "RUNNING";
            case ERROR, REJECTED -> "FAILED";
            default -> operation.name();
        };
    }

    /** Why the runtime refused or failed, from its status response ({@code message}); null when it gave none. */
    public static String reason(OperationState operation, JsonNode response) {
        if (!operation.failed() && operation != OperationState.CANCELLED) {
            return null;
        }
        if (response != null && response.hasNonNull("message")) {
            return response.get("message").asText();
        }
        return switch (operation) {
            case TIMED_OUT -> "the device did not report within the operation's timeout";
            case EXPIRED -> "the operation was not delivered before it expired";
            default -> null;
        };
    }

    /** True when a runtime last heard from at {@code receivedAtMs} is stale at {@code nowMs}. */
    public static boolean stale(long nowMs, long receivedAtMs, long staleAfterMs) {
        return nowMs - receivedAtMs > staleAfterMs;
    }
}
