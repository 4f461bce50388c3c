package io.streamthings.devicemgmt.auth;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The scopes of API.md and the three this service adds (audit log, tenants, alerts). */
public final class Scopes {

    public static final String DEVICE_VIEW = "device:view";
    public static final String DEVICE_MANAGE = "device:manage";
    public static final String DEVICE_TYPE_MANAGE = "device-type:manage";
    public static final String GROUP_MANAGE = "group:manage";
    public static final String OPERATION_VIEW = "operation:view";
    public static final String OPERATION_MANAGE = "operation:manage";
    public static final String POLICY_MANAGE = "policy:manage";
    public static final String USER_MANAGE = "user:manage";
    public static final String RULE_MANAGE = "rule:manage";
    public static final String ANALYTICS_VIEW = "analytics:view";
    /** Acknowledge and clear alerts. */
    public static final String ALERT_MANAGE = "alert:manage";
    public static final String ACTIVITY_VIEW = "activity:view";
    /** Create users in other tenants; held only by the platform's first admin. */
    public static final String TENANT_MANAGE = "tenant:manage";

    /** Every scope a tenant's own admin role holds. */
    public static final List<String> TENANT_ADMIN = List.of(DEVICE_VIEW, DEVICE_MANAGE, DEVICE_TYPE_MANAGE,
            GROUP_MANAGE, OPERATION_VIEW, OPERATION_MANAGE, POLICY_MANAGE, USER_MANAGE, RULE_MANAGE, ANALYTICS_VIEW,
            ALERT_MANAGE, ACTIVITY_VIEW);

    /** Every scope there is. */
    public static final Set<String> ALL = Set.copyOf(concat(TENANT_ADMIN, TENANT_MANAGE));

    /** The role whose holders may act on every device of their tenant (the "admin" of the per-device check). */
    public static final String ADMIN_ROLE = "admin";

    private Scopes() {}

    private static List<String> concat(List<String> list, String extra) {
        return Stream.concat(list.stream(), Stream.of(extra)).toList();
    }
}
