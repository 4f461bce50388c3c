package io.streamthings.flink.batch;

import io.streamthings.common.influx.DayAvailability;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The interval arithmetic of availability: from one device's presence events, its uptime, outages and longest
 * outage on each UTC day. Plain functions, no Flink.
 *
 * <p>The device's state at a time is that of its latest event at or before it: up after online or seen, down after
 * offline (whose time is when the device was last heard from, so the outage starts there). A day without events
 * carries the state of the day before. Before the device's first event its state is unknown: that time counts neither
 * as up nor as down ({@link DayAvailability#knownMs()}), and a day wholly before it has no availability at all.
 * An outage is a maximal stretch of down time; a day counts every outage that overlaps it, and its longest outage is
 * the longest such stretch clipped to the day.
 */
public final class Availability {

    /** A UTC day, ms. */
    public static final long DAY_MS = 86_400_000L;

    private static final Comparator<PresenceChange> ORDER = Comparator.comparingLong(PresenceChange::ts)
            .thenComparingLong(PresenceChange::seq);

    private Availability() {
    }

    /**
     * The availability of one device on each day of [{@code fromDay}, {@code toDay}) that has a known part.
     *
     * @param events the device's presence events, in any order; events at or after {@code toDay} are ignored, those
     *     before {@code fromDay} give the state the range starts with
     * @param fromDay start of the first day, epoch ms, a UTC midnight
     * @param toDay end of the last day, exclusive, a UTC midnight
     */
    public static List<DayAvailability> days(List<PresenceChange> events, long fromDay, long toDay) {
        if (Math.floorMod(fromDay, DAY_MS) != 0 || Math.floorMod(toDay, DAY_MS) != 0 || fromDay > toDay) {
            throw new IllegalArgumentException("the range must be whole UTC days, got " + fromDay + ".." + toDay);
        }
        List<PresenceChange> sorted = new ArrayList<>(events);
        sorted.sort(ORDER);
        List<DayAvailability> out = new ArrayList<>();
        if (sorted.isEmpty()) {
            return out;
        }
        String tenant = sorted.get(0).tenant();
        String deviceId = sorted.get(0).deviceId();
        // Walk the stretches of constant state, [cursor, next event), from the first event on.
        int i = 0;
        Boolean up = null;
        for (long day = fromDay; day < toDay; day += DAY_MS) {
            long dayEnd = day + DAY_MS;
            long known = 0;
            long uptime = 0;
            int outages = 0;
            long longest = 0;
            long cursor = day;
            // Events before the range set the initial state (and when the ongoing outage began).
            while (i < sorted.size() && sorted.get(i).ts() < day) {
                PresenceChange e = sorted.get(i++);
                up = e.up();
            }
            if (Boolean.FALSE.equals(up)) {
                outages = 1;
            }
            long stretchDownFrom = day;
            while (true) {
                long next = i < sorted.size() && sorted.get(i).ts() < dayEnd ? sorted.get(i).ts() : dayEnd;
                if (up != null) {
                    known += next - cursor;
                    if (up) {
                        uptime += next - cursor;
                    }
                }
                cursor = next;
                if (next == dayEnd) {
                    break;
                }
                PresenceChange e = sorted.get(i++);
                if (up == null || up != e.up()) {
                    if (Boolean.FALSE.equals(up)) {
                        longest = Math.max(longest, e.ts() - stretchDownFrom);
                    }
                    if (!e.up()) {
                        outages++;
                        stretchDownFrom = e.ts();
                    }
                    up = e.up();
                }
            }
            if (Boolean.FALSE.equals(up)) {
                longest = Math.max(longest, dayEnd - stretchDownFrom);
            }
            if (known > 0) {
                out.add(new DayAvailability(tenant, deviceId, day, known, uptime, outages, longest));
            }
        }
        return out;
    }
}
