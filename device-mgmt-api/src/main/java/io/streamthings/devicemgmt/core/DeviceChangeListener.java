package io.streamthings.devicemgmt.core;

import io.streamthings.devicemgmt.auth.Caller;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Told, inside the transaction of the change, that devices were enrolled or joined or left a group, so what depends on
 * a device's type, groups or owner (its effective policy) follows. May refuse the change with an
 * {@link io.streamthings.devicemgmt.errors.ApiException}, which rolls it back.
 */
public interface DeviceChangeListener {

    /** Listens to nothing. */
    DeviceChangeListener NONE = (handle, caller, deviceIds, refuseConflicts) -> { };

    /**
     * @param refuseConflicts false where refusing would cost others their change (bulk enrollment): conflicts are then
     *     settled, not refused
     */
    void devicesChanged(Handle handle, Caller caller, List<String> deviceIds, boolean refuseConflicts);
}
