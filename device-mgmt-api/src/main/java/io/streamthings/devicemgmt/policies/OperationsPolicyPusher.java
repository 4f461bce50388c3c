package io.streamthings.devicemgmt.policies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamthings.devicemgmt.operations.OperationKind;
import io.streamthings.devicemgmt.operations.OperationService;
import io.streamthings.devicemgmt.operations.OperationSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Pushes effective policies as POLICY operations of the operations service, so they have its lifecycle (delivery,
 * re-sending on reconnect, timeouts, HTTP pull). The device receives {@code {"kind": "POLICY", "code": "policy",
 * "params": {"version": n, "features": {code: params}}, ...}}.
 *
 * <p>The operations service opens its transaction with the same {@code Jdbi} on the same thread, and Jdbi hands a
 * nested call the handle already open there: the operations are written in the policy change's own transaction, so a
 * refused change sends nothing and a committed one cannot lose its push.
 */
public class OperationsPolicyPusher implements PolicyPusher {

    /** The operation code of every POLICY operation this service sends. */
    public static final String CODE = "policy";

    private final OperationService operations;
    private final ObjectMapper json;

    public OperationsPolicyPusher(OperationService operations, ObjectMapper json) {
        this.operations = operations;
        this.json = json;
    }

    @Override
    public Map<String, String> push(Handle handle, String tenant, String actor, List<Push> pushes) {
        // Devices told the same thing share one submission (one rollout), e.g. every device of a type at once.
        Map<JsonNode, List<String>> byParams = new LinkedHashMap<>();
        for (Push p : pushes) {
            byParams.computeIfAbsent(params(p), k -> new ArrayList<>()).add(p.deviceId());
        }
        Map<String, String> ids = new LinkedHashMap<>();
        byParams.forEach((params, devices) -> ids.putAll(operations.submitAsSystem(tenant, actor, devices,
                OperationSpec.of(OperationKind.POLICY, CODE, params)).operationIds()));
        return ids;
    }

    private JsonNode params(Push p) {
        ObjectNode params = json.createObjectNode();
        params.put("version", p.version());
        ObjectNode features = params.putObject("features");
        p.features().forEach(features::set);
        return params;
    }
}
