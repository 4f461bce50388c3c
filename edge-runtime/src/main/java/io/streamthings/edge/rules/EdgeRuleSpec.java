package io.streamthings.edge.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;

/**
 * An EDGE_RULE operation's payload: which rule, which version, what to do and what becomes of the old version's state.
 * Read in two forms: flat, as the runtime persists it,
 *
 * <pre>{"kind":"EDGE_RULE","ruleId":"hot","version":2,"action":"deploy","state":"carry","app":"@App:name('hot') ..."}
 * {"kind":"EDGE_RULE","ruleId":"hot","version":3,"action":"remove"}</pre>
 *
 * and as the operations service sends any operation ({@code code} the rule id, the rest in {@code params}):
 *
 * <pre>{"operationId":"...","kind":"EDGE_RULE","code":"hot","params":{"version":2,"state":"carry","app":"..."},...}</pre>
 *
 * @param ruleId the server's id of the rule: 1 to 64 of {@code A-Z a-z 0-9 . _ -} (it names a file)
 * @param version the rule's version, positive; a deployment of a lower version than the running one is refused
 * @param action {@code deploy} (the default) or {@code remove}
 * @param carryState {@code state: "carry"}: the new version starts with the old one's windows, patterns and tables;
 *     {@code "reset"} (the default): it starts empty
 * @param app the Siddhi app, for {@code deploy}
 */
public record EdgeRuleSpec(String ruleId, long version, Action action, boolean carryState, String app) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** What the operation asks. */
    public enum Action { DEPLOY, REMOVE }

    /**
     * Reads and checks a payload.
     *
     * @throws IllegalArgumentException with a message for the operation's author when it is not one
     */
    public static EdgeRuleSpec parse(String payloadJson) {
        JsonNode node;
        try {
            node = JSON.readTree(payloadJson);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the payload is not JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the payload must be a JSON object");
        }
        String kind = node.path("kind").asText("EDGE_RULE");
        if (!kind.equals("EDGE_RULE")) {
            throw new IllegalArgumentException("kind " + kind + " is not supported by the edge runtime: only EDGE_RULE");
        }
        String ruleId = node.path("ruleId").asText(null);
        if (node.path("params").isObject()) {
            ruleId = node.path("code").asText(ruleId);
            node = node.path("params");
        }
        if (ruleId == null || !RULE_ID.matcher(ruleId).matches()) {
            throw new IllegalArgumentException("ruleId must be 1 to 64 of A-Z a-z 0-9 . _ -: " + ruleId);
        }
        JsonNode v = node.path("version");
        if (!v.canConvertToLong() || v.asLong() <= 0) {
            throw new IllegalArgumentException("version must be a positive integer: " + v);
        }
        String actionText = node.path("action").asText("deploy");
        Action action = switch (actionText) {
            case "deploy" -> Action.DEPLOY;
            case "remove" -> Action.REMOVE;
            default -> throw new IllegalArgumentException("action must be deploy or remove: " + actionText);
        };
        String state = node.path("state").asText("reset");
        if (!state.equals("reset") && !state.equals("carry")) {
            throw new IllegalArgumentException("state must be reset or carry: " + state);
        }
        String app = node.path("app").asText(null);
        if (action == Action.DEPLOY && (app == null || app.isBlank())) {
            throw new IllegalArgumentException("a deployment needs the app's text in app");
        }
        return new EdgeRuleSpec(ruleId, v.asLong(), action, state.equals("carry"), app);
    }

    /** The payload form, as {@link #parse} reads it. */
    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", "EDGE_RULE");
        n.put("ruleId", ruleId);
        n.put("version", version);
        n.put("action", action == Action.DEPLOY ? "deploy" : "remove");
        n.put("state", carryState ? "carry" : "reset");
        if (app != null) {
            n.put("app", app);
        }
        return n.toString();
    }
}
