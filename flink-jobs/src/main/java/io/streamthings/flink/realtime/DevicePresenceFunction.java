package io.streamthings.flink.realtime;

import io.streamthings.common.device.DeviceEvent.Kind;
import io.streamthings.common.device.DeviceEvent;
import io.streamthings.common.kafka.DeviceKey;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Online/offline detection per device (keyed by {@code tenant/deviceId}): the first sign of life of a device not known
 * to be online emits {@code online}; a device silent for longer than its timeout emits {@code offline}; while online,
 * a {@code seen} event at most every seen-interval keeps the registry's lastSeen current.
 *
 * <p>Why processing time: offline means "we have heard nothing for a while, now". Event time cannot say that, since it
 * only advances when records arrive: if every device went quiet the watermark would stop and nobody would ever be
 * declared offline, and one device's clock must not decide another's fate. The cost is that after a restore, timers
 * that came due while the job was down fire at once; the records replayed from Kafka then bring those devices back
 * online, so the registry ends up right.
 *
 * <p>Why one lazy timer per device: re-registering a timer on every record would churn the timer queue at the record
 * rate. Instead the single timer is left in place; when it fires, the operator compares the time of the last sign of
 * life with the timeout and either emits {@code offline} or sets the timer again for the moment the device would be
 * silent long enough.
 *
 * <p>State is cleared when a device goes offline, together with its (then fired) timer, so no state or timer lingers
 * for devices that are gone.
 */
public final class DevicePresenceFunction extends KeyedProcessFunction<String, DeviceSeen, DeviceEvent> {

    private static final long serialVersionUID = 1L;

    private final long seenIntervalMs;
    private transient ValueState<PresenceState> state;

    /** @param seenIntervalMs interval of seen events per device, ms; 0 disables them */
    public DevicePresenceFunction(long seenIntervalMs) {
        this.seenIntervalMs = seenIntervalMs;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("presence", PresenceState.class));
    }

    @Override
    public void processElement(DeviceSeen seen, Context ctx, Collector<DeviceEvent> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        PresenceState s = state.value();
        if (s == null) {
            s = new PresenceState();
            s.lastSeenEventAt = seen.receivedAt();
            out.collect(DeviceEvent.presence(Kind.ONLINE, seen.tenant(), seen.deviceId(), seen.receivedAt()));
        } else if (PresenceRules.seenDue(s.lastSeenEventAt, seen.receivedAt(), seenIntervalMs)) {
            s.lastSeenEventAt = seen.receivedAt();
            out.collect(DeviceEvent.presence(Kind.SEEN, seen.tenant(), seen.deviceId(), seen.receivedAt()));
        }
        s.lastHeardAt = now;
        s.lastReceivedAt = Math.max(s.lastReceivedAt, seen.receivedAt());
        s.offlineAfterMs = seen.offlineAfterMs();
        long due = now + seen.offlineAfterMs();
        if (s.timer == 0 || due < s.timer) {
            // First timer of this device, or its timeout was shortened: the pending timer would come too late.
            if (s.timer != 0) {
                ctx.timerService().deleteProcessingTimeTimer(s.timer);
            }
            s.timer = due;
            ctx.timerService().registerProcessingTimeTimer(due);
        }
        state.update(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DeviceEvent> out) throws Exception {
        PresenceState s = state.value();
        if (s == null || timestamp != s.timer) {
            return; // a timer deleted too late to stop it, or left from before the state was cleared
        }
        long next = PresenceRules.onTimer(s.lastHeardAt, s.offlineAfterMs, timestamp);
        if (next == PresenceRules.OFFLINE) {
            DeviceKey key = DeviceKey.parse(ctx.getCurrentKey());
            out.collect(DeviceEvent.presence(Kind.OFFLINE, key.tenant(), key.deviceId(), s.lastReceivedAt));
            state.clear();
            return;
        }
        s.timer = next;
        ctx.timerService().registerProcessingTimeTimer(next);
        state.update(s);
    }
}
