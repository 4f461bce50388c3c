package io.streamthings.devicemgmt.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The availability of one device per UTC day, as the availability batch job computed it from the device's
 * online/offline events.
 *
 * @param deviceId the device
 * @param from start of the range, epoch ms, inclusive
 * @param to end of the range, epoch ms, exclusive
 * @param days the days in the range that have figures, oldest first (a day not yet computed, or before the device's
 *     first presence event, is missing)
 */
@Schema(name = "Availability")
public record AvailabilityView(String deviceId, long from, long to, List<Day> days) {

    /** Copies the days. */
    public AvailabilityView {
        days = List.copyOf(days);
    }

    /**
     * One day.
     *
     * @param day start of the day, epoch ms (UTC midnight)
     * @param knownMs time of the day whose state is known (from the device's first presence event on), ms
     * @param uptimeMs time the device was online, ms
     * @param uptimeRatio uptimeMs / knownMs
     * @param outages outages overlapping the day (one across midnight counts on both days)
     * @param longestOutageMs the longest outage within the day, ms
     */
    @Schema(name = "AvailabilityDay")
    public record Day(long day, long knownMs, long uptimeMs, double uptimeRatio, long outages,
            long longestOutageMs) {}
}
