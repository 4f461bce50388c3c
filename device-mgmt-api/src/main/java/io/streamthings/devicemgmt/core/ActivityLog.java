package io.streamthings.devicemgmt.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.db.ActivitySql;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** Writes the audit log inside the transaction of the change, so the log and the data never disagree. */
public class ActivityLog {

    private final ObjectMapper json;

    public ActivityLog(ObjectMapper json) {
        this.json = json;
    }

    public void record(Handle handle, Caller caller, String action, String targetType, String targetId,
            Map<String, ?> details) {
        ActivitySql.insert(handle, caller.tenant(), caller.name(), action, targetType, targetId, write(details));
    }

    private String write(Map<String, ?> details) {
        try {
            return json.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit details must be plain values", e);
        }
    }
}
