package io.streamthings.devicemgmt.operations;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Told of every change of an operation's state once it is committed (policies follow POLICY operations, edge
 * deployments EDGE_RULE ones). Called on the thread that made the change; must be quick and must not throw (what it
 * throws is logged and dropped).
 */
@FunctionalInterface
public interface OperationListener {

    void changed(Change change);

    /** One committed change. */
    record Change(String tenant, String operationId, String deviceId, String rolloutId, OperationKind kind,
            String code, OperationState status, JsonNode response) {}
}
