package io.streamthings.devicemgmt.policies;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.operation.OperationCodec;
import io.streamthings.common.operation.OperationMessage;
import io.streamthings.devicemgmt.db.OutboxDao;
import io.streamthings.devicemgmt.db.OutboxRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Pushes a POLICY operation straight onto the {@code operations} topic through the transactional outbox, as an
 * {@link OperationMessage} whose payload is {@code {"kind": "POLICY", "code": "policy", "params": {"version": n,
 * "features": {code: params}}}}. Used until the operations service tracks POLICY operations like the others.
 */
public class OutboxPolicyPusher implements PolicyPusher {

    private final ObjectMapper json;
    private final Runnable afterCommit;

    /** @param afterCommit run once a transaction that queued operations has committed (wakes the publisher) */
    public OutboxPolicyPusher(ObjectMapper json, Runnable afterCommit) {
        this.json = json;
        this.afterCommit = afterCommit;
    }

    @Override
    public Map<String, String> push(Handle handle, String tenant, String actor, List<Push> pushes) {
        Map<String, String> ids = new LinkedHashMap<>();
        List<OutboxRow> rows = new ArrayList<>(pushes.size());
        for (Push p : pushes) {
            String operationId = UUID.randomUUID().toString();
            rows.add(new OutboxRow(0, Topics.OPERATIONS.name(), Topics.deviceKey(tenant, p.deviceId()),
                    OperationCodec.encode(new OperationMessage(tenant, p.deviceId(), operationId, payload(p)))));
            ids.put(p.deviceId(), operationId);
        }
        if (!rows.isEmpty()) {
            handle.attach(OutboxDao.class).insertAll(rows);
            handle.afterCommit(afterCommit);
        }
        return ids;
    }

    private String payload(Push p) {
        ObjectNode body = json.createObjectNode();
        body.put("kind", "POLICY");
        body.put("code", "policy");
        ObjectNode params = body.putObject("params");
        params.put("version", p.version());
        ObjectNode features = params.putObject("features");
        p.features().forEach(features::set);
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of JSON nodes always serialises", e);
        }
    }
}
