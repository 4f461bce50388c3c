package io.streamthings.common.device;

/** The lifecycle status of a device. Only an {@link #ACTIVE} device may send data or receive operations. */
public enum DeviceStatus {
    /** Enrolled and allowed to connect. */
    ACTIVE,
    /** Enrolled but switched off by its owner; its credential is kept but refused. */
    INACTIVE,
    /** Refused by an administrator, e.g. after a compromise. */
    BLOCKED,
    /** Decommissioned; its credential is withdrawn. */
    REMOVED
}
