package io.streamthings.devicemgmt.policies;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** Sends effective policies to devices as POLICY operations, queued in the transaction of the change. */
public interface PolicyPusher {

    /** One device's effective policy to push. */
    record Push(String deviceId, String deviceType, int version, Map<String, JsonNode> features) {}

    /**
     * Queues one POLICY operation per device; nothing is sent unless the transaction commits.
     *
     * @param actor who caused it (a user, a client, or {@code device:<id>} for an enforcement)
     * @return the operation id per device id
     */
    Map<String, String> push(Handle handle, String tenant, String actor, List<Push> pushes);
}
