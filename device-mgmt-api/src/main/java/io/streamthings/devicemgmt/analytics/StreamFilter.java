package io.streamthings.devicemgmt.analytics;

/**
 * What one live-stream client receives: records of one tenant, of one device or (for the tenant's admins) all of its
 * devices, from the chosen topics.
 *
 * @param tenant the caller's tenant; records of other tenants never pass
 * @param deviceId the one device, or null for every device of the tenant (admins only; the resource enforces it)
 * @param telemetry receive {@code telemetry} events
 * @param alerts receive {@code alerts} events
 */
public record StreamFilter(String tenant, String deviceId, boolean telemetry, boolean alerts) {

    /** True when a record of this kind, tenant and device (null for an alert about no single device) passes. */
    public boolean accepts(StreamHub.Kind kind, String recordTenant, String recordDeviceId) {
        boolean topic = kind == StreamHub.Kind.TELEMETRY ? telemetry : alerts;
        return topic && tenant.equals(recordTenant) && (deviceId == null || deviceId.equals(recordDeviceId));
    }
}
