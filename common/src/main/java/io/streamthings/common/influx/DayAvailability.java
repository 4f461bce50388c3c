package io.streamthings.common.influx;

/**
 * The availability of one device on one UTC day, as the availability batch job writes it and the API reads it: in
 * {@link #RETENTION_POLICY}.{@link #MEASUREMENT}, tags tenant and deviceId, time the day's start, one field per
 * component.
 *
 * @param tenant the device's tenant
 * @param deviceId the device
 * @param dayStart start of the day, epoch ms (UTC midnight)
 * @param knownMs time of the day whose state is known (from the device's first presence event on), ms
 * @param uptimeMs time of the day the device was up (online), ms
 * @param outages outages overlapping the day (one that crosses midnight counts on both days)
 * @param longestOutageMs the longest outage within the day (clipped to the day), ms
 */
public record DayAvailability(String tenant, String deviceId, long dayStart, long knownMs, long uptimeMs,
        int outages, long longestOutageMs) {

    /** The measurement. */
    public static final String MEASUREMENT = "availability_1d";
    /** Its retention policy, the daily rollups' one. */
    public static final String RETENTION_POLICY = "rp_1d";

    /** Uptime over the known time of the day, 0..1; NaN when nothing of the day is known. */
    public double uptimeRatio() {
        return knownMs == 0 ? Double.NaN : (double) uptimeMs / knownMs;
    }

    /**
     * The day's point: tags tenant and deviceId, time the day's start, so a rerun overwrites it with the same values.
     */
    public void write(LineProtocol out) {
        out.point(MEASUREMENT, dayStart)
                .tag("tenant", tenant)
                .tag("deviceId", deviceId)
                .field("knownMs", knownMs)
                .field("uptimeMs", uptimeMs)
                .field("uptimeRatio", uptimeRatio())
                .field("outages", (long) outages)
                .field("longestOutageMs", longestOutageMs)
                .end();
    }
}
