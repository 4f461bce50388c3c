package io.streamthings.devicemgmt.policies;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamthings.devicemgmt.operations.OperationKind;
import io.streamthings.devicemgmt.operations.OperationListener;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compliance from the status reports of POLICY operations: a response {@code {"compliance": {code: "compliant" |
 * "non-compliant" | "pending"}}} is taken feature by feature; COMPLETED without one means every feature complies, ERROR
 * or REJECTED that none does. A report on an operation that no longer carries the device's effective policy is ignored.
 */
public class PolicyOperationListener implements OperationListener {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyOperationListener.class);

    private final PolicyService policies;

    public PolicyOperationListener(PolicyService policies) {
        this.policies = policies;
    }

    @Override
    public void changed(Change change) {
        if (change.kind() != OperationKind.POLICY || !OperationsPolicyPusher.CODE.equals(change.code())) {
            return;
        }
        ComplianceState all = switch (change.status()) {
            case COMPLETED -> ComplianceState.COMPLIANT;
            case ERROR, REJECTED -> ComplianceState.NON_COMPLIANT;
            default -> null;
        };
        Map<String, ComplianceState> features = compliance(change.response());
        if (features == null && all == null) {
            return;
        }
        try {
            policies.reportFromOperation(change.tenant(), change.deviceId(), change.operationId(), features, all);
        } catch (RuntimeException e) {
            // Never the operation's problem: its state is already committed; the device can report again.
            LOG.warn("Compliance from operation {} of device {}/{} not recorded: {}", change.operationId(),
                    change.tenant(), change.deviceId(), e.getMessage());
        }
    }

    /** The response's compliance map, or null when there is none or it is not one. */
    static Map<String, ComplianceState> compliance(JsonNode response) {
        JsonNode map = response == null ? null : response.get("compliance");
        if (map == null || !map.isObject()) {
            return null;
        }
        Map<String, ComplianceState> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ComplianceState state = switch (e.getValue().asText()) {
                case "compliant" -> ComplianceState.COMPLIANT;
                case "non-compliant" -> ComplianceState.NON_COMPLIANT;
                case "pending" -> ComplianceState.PENDING;
                default -> null;
            };
            if (state == null) {
                return null;
            }
            out.put(e.getKey(), state);
        }
        return out;
    }
}
