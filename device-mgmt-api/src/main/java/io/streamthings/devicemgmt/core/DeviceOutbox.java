package io.streamthings.devicemgmt.core;

import io.streamthings.common.device.DeviceCredential;
import io.streamthings.common.device.DeviceEvent;
import io.streamthings.common.device.DeviceStatus;
import io.streamthings.common.kafka.DeviceKey;
import io.streamthings.common.kafka.Topics;
import io.streamthings.devicemgmt.db.OutboxDao;
import io.streamthings.devicemgmt.db.OutboxRow;
import io.streamthings.devicemgmt.db.OutboxSql;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Queues the Kafka records that announce a device change, in the transaction of the change: the credential (or a
 * tombstone) on {@code device.credentials} and a lifecycle event on {@code device.events}. The outbox publisher sends
 * them once the transaction has committed, even if Kafka is down at that moment.
 */
public class DeviceOutbox {

    /** The lifecycle events this service emits: the {@link DeviceEvent.Kind}s of the same names. */
    public enum Event { ENROLLED, STATUS_CHANGED, TOKEN_ROTATED, REMOVED, UPDATED }

    private final Clock clock;
    private final Runnable afterCommit;

    /** @param afterCommit run once a transaction that queued records has committed (wakes the publisher) */
    public DeviceOutbox(Clock clock, Runnable afterCommit) {
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
        String key = DeviceKey.of(device.tenant(), device.id()).toString();
        dao.insert(Topics.DEVICE_CREDENTIALS.name(), key, null);
        dao.insert(Topics.DEVICE_EVENTS.name(), key, event(device, Event.REMOVED));
        handle.afterCommit(afterCommit);
    }

    private List<OutboxRow> rows(List<DeviceState> devices, Event event) {
        long now = clock.millis();
        List<OutboxRow> rows = new ArrayList<>(devices.size() * 2);
        for (DeviceState d : devices) {
            String key = DeviceKey.of(d.tenant(), d.id()).toString();
            byte[] credential = d.status() == DeviceStatus.REMOVED
                    ? null
                    : Topics.DEVICE_CREDENTIALS.encodeValue(new DeviceCredential(d.tenant(), d.id(), d.type(), d.owner(),
                            d.status(), d.salt(), d.hash(), now));
            rows.add(new OutboxRow(0, Topics.DEVICE_CREDENTIALS.name(), key, credential));
            rows.add(new OutboxRow(0, Topics.DEVICE_EVENTS.name(), key, event(d, event)));
        }
        return rows;
    }

    private byte[] event(DeviceState device, Event event) {
        return Topics.DEVICE_EVENTS.encodeValue(DeviceEvent.lifecycle(DeviceEvent.Kind.valueOf(event.name()),
                device.tenant(), device.id(), device.type(), device.status(), clock.millis()));
    }

    /** What the outbox needs to know of a device. */
    public record DeviceState(
            String tenant, String id, String type, String owner, DeviceStatus status, byte[] salt, byte[] hash) {}
}
