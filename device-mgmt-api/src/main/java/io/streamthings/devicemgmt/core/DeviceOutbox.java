package io.streamthings.devicemgmt.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamthings.common.device.DeviceCredential;
import io.streamthings.common.device.DeviceCredentialCodec;
import io.streamthings.common.device.DeviceStatus;
import io.streamthings.common.kafka.Topics;
import io.streamthings.devicemgmt.db.OutboxDao;
import io.streamthings.devicemgmt.db.OutboxRow;
import io.streamthings.devicemgmt.db.OutboxSql;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Queues the Kafka records that announce a device change, in the transaction of the change: the credential (or a
 * tombstone) on {@code device.credentials} and a lifecycle event on {@code device.events}. The outbox publisher sends
 * them once the transaction has committed, even if Kafka is down at that moment.
 */
public class DeviceOutbox {

    /** The lifecycle events this service emits. */
    public enum Event { ENROLLED, STATUS_CHANGED, TOKEN_ROTATED, REMOVED, UPDATED }

    private final ObjectMapper json;
    private final Clock clock;
    private final Runnable afterCommit;

    /** @param afterCommit run once a transaction that queued records has committed (wakes the publisher) */
    public DeviceOutbox(ObjectMapper json, Clock clock, Runnable afterCommit) {
        this.json = json;
        this.clock = clock;
        this.afterCommit = afterCommit;
    }

    /** The device's credential after a change, a tombstone when REMOVED, and the event. */
    public void changed(Handle handle, DeviceState device, Event event) {
        OutboxSql.insertAll(handle, rows(List.of(device), event));
        handle.afterCommit(afterCommit);
    }

    /** The same for many devices at once (bulk enrollment). */
    public void changedAll(Handle handle, List<DeviceState> devices, Event event) {
        OutboxSql.insertAll(handle, rows(devices, event));
        handle.afterCommit(afterCommit);
    }

    /** The device was deleted: a tombstone and a removed event. */
    public void deleted(Handle handle, DeviceState device) {
        OutboxDao dao = handle.attach(OutboxDao.class);
        String key = Topics.deviceKey(device.tenant(), device.id());
        dao.insert(Topics.DEVICE_CREDENTIALS.name(), key, null);
        dao.insert(Topics.DEVICE_EVENTS.name(), key, event(device, Event.REMOVED));
        handle.afterCommit(afterCommit);
    }

    private List<OutboxRow> rows(List<DeviceState> devices, Event event) {
        long now = clock.millis();
        List<OutboxRow> rows = new ArrayList<>(devices.size() * 2);
        for (DeviceState d : devices) {
            String key = Topics.deviceKey(d.tenant(), d.id());
            byte[] credential = d.status() == DeviceStatus.REMOVED
                    ? null
                    : DeviceCredentialCodec.encode(new DeviceCredential(d.tenant(), d.id(), d.type(), d.owner(),
                            d.status(), d.salt(), d.hash(), now));
            rows.add(new OutboxRow(0, Topics.DEVICE_CREDENTIALS.name(), key, credential));
            rows.add(new OutboxRow(0, Topics.DEVICE_EVENTS.name(), key, event(d, event)));
        }
        return rows;
    }

    private byte[] event(DeviceState device, Event event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", event.name().toLowerCase(Locale.ROOT));
        body.put("tenant", device.tenant());
        body.put("deviceId", device.id());
        body.put("deviceType", device.type());
        body.put("status", device.status().name());
        body.put("ts", clock.millis());
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event of plain values always serialises", e);
        }
    }

    /** What the outbox needs to know of a device. */
    public record DeviceState(
            String tenant, String id, String type, String owner, DeviceStatus status, byte[] salt, byte[] hash) {}
}
