package io.streamthings.simulator;

/** How a simulated device names itself to the platform (API.md): {@code deviceId@tenant}, or the bare id. */
final class DeviceNames {

    private DeviceNames() {}

    /** @return {@code id@tenant}, or {@code id} when no tenant is given (the tenant {@code default}) */
    static String login(String id, String tenant) {
        return tenant == null || tenant.isBlank() ? id : id + "@" + tenant;
    }
}
