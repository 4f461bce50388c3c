package io.streamthings.devicemgmt.core;

import io.streamthings.common.device.DeviceStatus;
import io.streamthings.common.device.DeviceTokens;
import io.streamthings.devicemgmt.api.DeviceToken;
import io.streamthings.devicemgmt.api.DeviceUpdate;
import io.streamthings.devicemgmt.api.DeviceView;
import io.streamthings.devicemgmt.api.EnrollRequest;
import io.streamthings.devicemgmt.api.EnrolledDevice;
import io.streamthings.devicemgmt.api.Page;
import io.streamthings.devicemgmt.api.PropertySpec;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.core.DeviceOutbox.DeviceState;
import io.streamthings.devicemgmt.core.DeviceOutbox.Event;
import io.streamthings.devicemgmt.db.DeviceDao;
import io.streamthings.devicemgmt.db.DeviceRow;
import io.streamthings.devicemgmt.db.DeviceSql;
import io.streamthings.devicemgmt.db.GroupDao;
import io.streamthings.devicemgmt.db.NewDeviceRow;
import io.streamthings.devicemgmt.errors.ApiException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Devices: enrollment, search, changes, token rotation and deletion. Every call on one device applies the second
 * authorization check in SQL (admin, owner, or a group shared with the caller's role) and answers 404 otherwise.
 */
public class DeviceService {

    private final Jdbi jdbi;
    private final DataSource dataSource;
    private final DeviceTypeService types;
    private final Properties json;
    private final ActivityLog activities;
    private final DeviceOutbox outbox;
    private final DeviceChangeListener listener;

    /** @param dataSource the pool {@code jdbi} draws from, for reads that need no handle */
    public DeviceService(Jdbi jdbi, DataSource dataSource, DeviceTypeService types, Properties json,
            ActivityLog activities, DeviceOutbox outbox) {
        this(jdbi, dataSource, types, json, activities, outbox, DeviceChangeListener.NONE);
    }

    /**
     * @param dataSource the pool {@code jdbi} draws from, for reads that need no handle
     * @param listener told of each enrollment and owner change, in its transaction (effective policies)
     */
    public DeviceService(Jdbi jdbi, DataSource dataSource, DeviceTypeService types, Properties json,
            ActivityLog activities, DeviceOutbox outbox, DeviceChangeListener listener) {
        this.jdbi = jdbi;
        this.dataSource = dataSource;
        this.types = types;
        this.json = json;
        this.activities = activities;
        this.outbox = outbox;
        this.listener = listener;
    }

    public EnrolledDevice enroll(Caller caller, EnrollRequest request) {
        String owner = ownerFor(caller, request.owner());
        String id = request.id() != null ? request.id() : UUID.randomUUID().toString();
        String properties = json.write(request.properties());
        List<String> groups = request.groups() == null ? List.of() : List.copyOf(new HashSet<>(request.groups()));
        String token = DeviceTokens.generate();
        byte[] salt = DeviceTokens.newSalt();
        byte[] hash = DeviceTokens.hash(salt, token);
        // One transaction on one connection: the type check, the insert, its outbox records and its audit row.
        DeviceView view = jdbi.inTransaction(h -> {
            List<PropertySpec> specs = types.propertySpecs(h, caller.tenant(), request.type())
                    .orElseThrow(() -> ApiException.unprocessable("unknown device type " + request.type()));
            List<String> missing = DeviceTypeRules.missingRequired(specs, request.properties());
            if (!missing.isEmpty()) {
                throw ApiException.unprocessable("properties: missing required " + String.join(", ", missing));
            }
            if (!groups.isEmpty()) {
                GroupDao groupDao = h.attach(GroupDao.class);
                List<String> visible = groupDao.visibleIds(caller.tenant(), groups.toArray(String[]::new),
                        caller.name(), caller.roleArray(), caller.isAdmin());
                if (visible.size() != groups.size()) {
                    List<String> unknown = new ArrayList<>(groups);
                    unknown.removeAll(visible);
                    throw ApiException.unprocessable("unknown group(s) " + String.join(", ", unknown));
                }
            }
            Instant createdAt = DeviceSql.insert(h, new NewDeviceRow(caller.tenant(), id, request.name(),
                    request.type(), owner, DeviceStatus.ACTIVE.name(), properties, salt, hash))
                    .orElseThrow(() -> ApiException.conflict("device " + id + " already exists"));
            if (!groups.isEmpty()) {
                h.attach(GroupDao.class).addDevices(caller.tenant(), groups,
                        Collections.nCopies(groups.size(), id));
            }
            outbox.changed(h, new DeviceState(caller.tenant(), id, request.type(), owner, DeviceStatus.ACTIVE, salt,
                    hash), Event.ENROLLED);
            activities.record(h, caller, "device.enroll", "device", id, Map.of("type", request.type()));
            listener.devicesChanged(h, caller, List.of(id), true);
            return new DeviceView(id, request.name(), request.type(), owner, DeviceStatus.ACTIVE.name(),
                    request.properties() == null ? Map.of() : request.properties(), groups.stream().sorted().toList(),
                    null, false, createdAt, createdAt);
        });
        return EnrolledDevice.of(view, token);
    }

    /** The owner of a new device: the caller, or whoever an admin names. */
    static String ownerFor(Caller caller, String requested) {
        if (requested == null || requested.equals(caller.name())) {
            return caller.name();
        }
        if (!caller.isAdmin()) {
            throw ApiException.forbidden("only an admin may enroll a device for another owner");
        }
        return requested;
    }

    public DeviceView get(Caller caller, String id) {
        // Straight from the pool: opening a Jdbi handle (a copy of its configuration) cost more than the query.
        Optional<DeviceRow> row;
        try (Connection c = dataSource.getConnection()) {
            row = DeviceSql.findVisible(c, viewer(caller), id);
        } catch (SQLException e) {
            throw new ConnectionException(e);
        }
        return row.map(this::view).orElseThrow(() -> notFound(id));
    }

    public Page<DeviceView> search(Caller caller, DeviceFilter filter, int offset, int limit) {
        DeviceSql.Viewer viewer = viewer(caller);
        DeviceSql.Filter f = new DeviceSql.Filter(filter.type(), filter.status(), filter.group(), filter.qLike(),
                filter.online());
        return jdbi.withHandle(h -> {
            List<DeviceView> items = DeviceSql.search(h, viewer, f, offset, limit).stream().map(this::view).toList();
            // A page that is not full, and not past the end, tells the total without counting.
            long total = items.size() < limit && (!items.isEmpty() || offset == 0)
                    ? offset + items.size()
                    : DeviceSql.count(h, viewer, f);
            return new Page<>(items, total, offset, limit);
        });
    }

    public DeviceView update(Caller caller, String id, DeviceUpdate update) {
        return jdbi.inTransaction(h -> {
            DeviceRow row = lockVisible(h, caller, id);
            String owner = update.owner() == null ? row.owner() : update.owner();
            if (!owner.equals(row.owner()) && !caller.isAdmin()) {
                throw ApiException.forbidden("only an admin may change a device's owner");
            }
            String name = update.name() == null ? row.name() : update.name();
            String status = update.status() == null ? row.status() : update.status();
            String properties = update.properties() == null ? row.properties() : json.write(update.properties());
            DeviceDao dao = h.attach(DeviceDao.class);
            dao.update(caller.tenant(), id, name, owner, status, properties);
            boolean statusChanged = !status.equals(row.status());
            if (statusChanged || !owner.equals(row.owner())) {
                outbox.changed(h, new DeviceState(caller.tenant(), id, row.type(), owner, DeviceStatus.valueOf(status),
                        row.tokenSalt(), row.tokenHash()), statusChanged ? Event.STATUS_CHANGED : Event.UPDATED);
            }
            Map<String, Object> details = new LinkedHashMap<>();
            if (statusChanged) {
                details.put("status", status);
                details.put("previousStatus", row.status());
            }
            if (!Objects.equals(owner, row.owner())) {
                details.put("owner", owner);
            }
            activities.record(h, caller, statusChanged ? "device.status" : "device.update", "device", id, details);
            if (!owner.equals(row.owner())) {
                listener.devicesChanged(h, caller, List.of(id), false);
            }
            return view(dao.find(caller.tenant(), id).orElseThrow());
        });
    }

    public DeviceToken rotateToken(Caller caller, String id) {
        String token = DeviceTokens.generate();
        byte[] salt = DeviceTokens.newSalt();
        byte[] hash = DeviceTokens.hash(salt, token);
        jdbi.useTransaction(h -> {
            DeviceRow row = lockVisible(h, caller, id);
            if (DeviceStatus.REMOVED.name().equals(row.status())) {
                throw ApiException.conflict("device " + id + " is REMOVED; set another status first");
            }
            h.attach(DeviceDao.class).updateToken(caller.tenant(), id, salt, hash);
            outbox.changed(h, new DeviceState(caller.tenant(), id, row.type(), row.owner(),
                    DeviceStatus.valueOf(row.status()), salt, hash), Event.TOKEN_ROTATED);
            activities.record(h, caller, "device.token.rotate", "device", id, Map.of());
        });
        return new DeviceToken(id, token);
    }

    public void delete(Caller caller, String id) {
        jdbi.useTransaction(h -> {
            DeviceRow row = lockVisible(h, caller, id);
            h.attach(DeviceDao.class).delete(caller.tenant(), id);
            outbox.deleted(h, new DeviceState(caller.tenant(), id, row.type(), row.owner(), DeviceStatus.REMOVED,
                    row.tokenSalt(), row.tokenHash()));
            activities.record(h, caller, "device.delete", "device", id, Map.of("type", row.type()));
        });
    }

    private static DeviceSql.Viewer viewer(Caller caller) {
        return new DeviceSql.Viewer(caller.tenant(), caller.name(), caller.roleArray(), caller.isAdmin());
    }

    /** The device locked for this transaction, if the caller may act on it. */
    DeviceRow lockVisible(Handle h, Caller caller, String id) {
        return h.attach(DeviceDao.class)
                .findVisibleForUpdate(caller.tenant(), id, caller.name(), caller.roleArray(), caller.isAdmin())
                .orElseThrow(() -> notFound(id));
    }

    DeviceView view(DeviceRow row) {
        return new DeviceView(row.id(), row.name(), row.type(), row.owner(), row.status(), json.read(row.properties()),
                List.of(row.groups()), row.lastSeen(), row.online(), row.createdAt(), row.updatedAt());
    }

    static ApiException notFound(String id) {
        return ApiException.notFound("device " + id + " not found");
    }
}
