package io.streamthings.devicemgmt.core;

import io.streamthings.devicemgmt.api.GroupRoles;
import io.streamthings.devicemgmt.api.GroupSpec;
import io.streamthings.devicemgmt.api.GroupView;
import io.streamthings.devicemgmt.api.Page;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.db.DeviceDao;
import io.streamthings.devicemgmt.db.GroupDao;
import io.streamthings.devicemgmt.db.GroupRow;
import io.streamthings.devicemgmt.db.RoleDao;
import io.streamthings.devicemgmt.errors.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Device groups, their members, and sharing them with roles. A group the caller may not see answers 404. */
public class GroupService {

    private final Jdbi jdbi;
    private final ActivityLog activities;
    private final DeviceChangeListener listener;

    public GroupService(Jdbi jdbi, ActivityLog activities) {
        this(jdbi, activities, DeviceChangeListener.NONE);
    }

    /** @param listener told of devices joining or leaving a group, in the transaction (effective policies) */
    public GroupService(Jdbi jdbi, ActivityLog activities, DeviceChangeListener listener) {
        this.jdbi = jdbi;
        this.activities = activities;
        this.listener = listener;
    }

    public GroupView create(Caller caller, GroupSpec spec) {
        String id = spec.id() != null ? spec.id() : UUID.randomUUID().toString();
        return jdbi.inTransaction(h -> {
            GroupDao dao = h.attach(GroupDao.class);
            if (dao.exists(caller.tenant(), id, spec.name())
                    || dao.insert(caller.tenant(), id, spec.name(), nullToEmpty(spec.description()), caller.name())
                            == 0) {
                throw ApiException.conflict("a group with id " + id + " or name " + spec.name() + " already exists");
            }
            activities.record(h, caller, "group.create", "group", id, Map.of("name", spec.name()));
            return find(h, caller, id);
        });
    }

    public GroupView get(Caller caller, String id) {
        return jdbi.withHandle(h -> find(h, caller, id));
    }

    public Page<GroupView> list(Caller caller, int offset, int limit) {
        return jdbi.inTransaction(h -> {
            GroupDao dao = h.attach(GroupDao.class);
            List<GroupView> items = dao.list(caller.tenant(), caller.name(), caller.roleArray(), caller.isAdmin(),
                    offset, limit).stream().map(GroupService::view).toList();
            return new Page<>(items, dao.count(caller.tenant(), caller.name(), caller.roleArray(), caller.isAdmin()),
                    offset, limit);
        });
    }

    /** Renames or re-describes a group; its id cannot change. */
    public GroupView update(Caller caller, String id, GroupSpec spec) {
        if (spec.id() != null && !spec.id().equals(id)) {
            throw ApiException.badRequest("id: a group's id cannot change");
        }
        return jdbi.inTransaction(h -> {
            find(h, caller, id);
            GroupDao dao = h.attach(GroupDao.class);
            if (dao.nameTakenByAnother(caller.tenant(), id, spec.name())) {
                throw ApiException.conflict("a group named " + spec.name() + " already exists");
            }
            dao.update(caller.tenant(), id, spec.name(), nullToEmpty(spec.description()));
            activities.record(h, caller, "group.update", "group", id, Map.of("name", spec.name()));
            return find(h, caller, id);
        });
    }

    public void delete(Caller caller, String id) {
        jdbi.useTransaction(h -> {
            find(h, caller, id);
            List<String> members = h.createQuery("SELECT device_id FROM group_devices WHERE tenant = :tenant "
                    + "AND group_id = :id").bind("tenant", caller.tenant()).bind("id", id).mapTo(String.class).list();
            h.attach(GroupDao.class).delete(caller.tenant(), id);
            activities.record(h, caller, "group.delete", "group", id, Map.of());
            listener.devicesChanged(h, caller, members, false);
        });
    }

    /** Adds a device the caller may act on to a group the caller may see. */
    public GroupView addDevice(Caller caller, String id, String deviceId) {
        return jdbi.inTransaction(h -> {
            find(h, caller, id);
            requireDevice(h, caller, deviceId);
            h.attach(GroupDao.class).addDevice(caller.tenant(), id, deviceId);
            activities.record(h, caller, "group.device.add", "group", id, Map.of("device", deviceId));
            listener.devicesChanged(h, caller, List.of(deviceId), true);
            return find(h, caller, id);
        });
    }

    public void removeDevice(Caller caller, String id, String deviceId) {
        jdbi.useTransaction(h -> {
            find(h, caller, id);
            requireDevice(h, caller, deviceId);
            if (h.attach(GroupDao.class).removeDevice(caller.tenant(), id, deviceId) == 0) {
                throw ApiException.notFound("device " + deviceId + " is not in group " + id);
            }
            activities.record(h, caller, "group.device.remove", "group", id, Map.of("device", deviceId));
            listener.devicesChanged(h, caller, List.of(deviceId), false);
        });
    }

    /** Shares the group with exactly these roles of the tenant; 422 names a role that does not exist. */
    public GroupView shareWith(Caller caller, String id, GroupRoles request) {
        List<String> roles = List.copyOf(new LinkedHashSet<>(request.roles()));
        return jdbi.inTransaction(h -> {
            find(h, caller, id);
            List<String> existing = h.attach(RoleDao.class).existing(caller.tenant(), roles.toArray(String[]::new));
            if (existing.size() != roles.size()) {
                List<String> unknown = new ArrayList<>(roles);
                unknown.removeAll(existing);
                throw ApiException.unprocessable("unknown role(s) " + String.join(", ", unknown));
            }
            GroupDao dao = h.attach(GroupDao.class);
            dao.clearRoles(caller.tenant(), id);
            if (!roles.isEmpty()) {
                dao.addRoles(caller.tenant(), id, roles);
            }
            activities.record(h, caller, "group.share", "group", id, Map.of("roles", roles));
            return find(h, caller, id);
        });
    }

    private static void requireDevice(Handle h, Caller caller, String deviceId) {
        h.attach(DeviceDao.class)
                .findVisible(caller.tenant(), deviceId, caller.name(), caller.roleArray(), caller.isAdmin())
                .orElseThrow(() -> DeviceService.notFound(deviceId));
    }

    private static GroupView find(Handle h, Caller caller, String id) {
        return h.attach(GroupDao.class)
                .findVisible(caller.tenant(), id, caller.name(), caller.roleArray(), caller.isAdmin())
                .map(GroupService::view)
                .orElseThrow(() -> ApiException.notFound("group " + id + " not found"));
    }

    private static GroupView view(GroupRow row) {
        return new GroupView(row.id(), row.name(), row.description(), row.owner(), List.of(row.roles()),
                row.deviceCount(), row.createdAt());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
