package io.streamthings.devicemgmt.core;

import com.fasterxml.jackson.core.type.TypeReference;
import io.streamthings.devicemgmt.api.DeviceTypeSpec;
import io.streamthings.devicemgmt.api.DeviceTypeView;
import io.streamthings.devicemgmt.api.Feature;
import io.streamthings.devicemgmt.api.MetricSpec;
import io.streamthings.devicemgmt.api.Page;
import io.streamthings.devicemgmt.api.PropertySpec;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.db.DeviceDao;
import io.streamthings.devicemgmt.db.DeviceSql;
import io.streamthings.devicemgmt.db.DeviceTypeDao;
import io.streamthings.devicemgmt.db.DeviceTypeRow;
import io.streamthings.devicemgmt.errors.ApiException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Device types: created, changed and removed at runtime, per tenant. */
public class DeviceTypeService {

    private static final TypeReference<List<Feature>> FEATURES = new TypeReference<>() {};
    private static final TypeReference<List<MetricSpec>> METRICS = new TypeReference<>() {};
    private static final TypeReference<List<PropertySpec>> PROPERTIES = new TypeReference<>() {};
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private final Jdbi jdbi;
    private final Properties json;
    private final ActivityLog activities;

    public DeviceTypeService(Jdbi jdbi, Properties json, ActivityLog activities) {
        this.jdbi = jdbi;
        this.json = json;
        this.activities = activities;
    }

    public DeviceTypeView create(Caller caller, DeviceTypeSpec spec) {
        check(spec);
        return jdbi.inTransaction(h -> {
            if (h.attach(DeviceTypeDao.class).insert(toRow(caller.tenant(), spec)) == 0) {
                throw ApiException.conflict("device type " + spec.name() + " already exists");
            }
            activities.record(h, caller, "device-type.create", "device-type", spec.name(), Map.of());
            return h.attach(DeviceTypeDao.class).find(caller.tenant(), spec.name()).map(this::view).orElseThrow();
        });
    }

    public Optional<DeviceTypeView> find(Caller caller, String name) {
        return jdbi.onDemand(DeviceTypeDao.class).find(caller.tenant(), name).map(this::view);
    }

    /** The property specs of a type, for enrollment checks. */
    public Optional<List<PropertySpec>> propertySpecs(String tenant, String name) {
        return jdbi.withHandle(h -> propertySpecs(h, tenant, name));
    }

    /** The same on a handle the caller holds (the enrollment's transaction). */
    public Optional<List<PropertySpec>> propertySpecs(Handle h, String tenant, String name) {
        return DeviceSql.typeProperties(h, tenant, name).map(text -> json.readAs(text, PROPERTIES));
    }

    public Page<DeviceTypeView> list(Caller caller, int offset, int limit) {
        DeviceTypeDao dao = jdbi.onDemand(DeviceTypeDao.class);
        List<DeviceTypeView> items = dao.list(caller.tenant(), offset, limit).stream().map(this::view).toList();
        return new Page<>(items, dao.count(caller.tenant()), offset, limit);
    }

    /** Replaces the type's definition; the name in the path wins over a different one in the body (400). */
    public DeviceTypeView replace(Caller caller, String name, DeviceTypeSpec spec) {
        if (!name.equals(spec.name())) {
            throw ApiException.badRequest("name: a device type cannot be renamed (path " + name + ", body "
                    + spec.name() + ")");
        }
        check(spec);
        return jdbi.inTransaction(h -> {
            if (h.attach(DeviceTypeDao.class).update(toRow(caller.tenant(), spec)) == 0) {
                throw ApiException.notFound("device type " + name + " not found");
            }
            activities.record(h, caller, "device-type.update", "device-type", name, Map.of());
            return h.attach(DeviceTypeDao.class).find(caller.tenant(), name).map(this::view).orElseThrow();
        });
    }

    /** Deletes a type no device uses; 409 while devices of the type exist. */
    public void delete(Caller caller, String name) {
        jdbi.useTransaction(h -> {
            DeviceTypeDao types = h.attach(DeviceTypeDao.class);
            if (types.find(caller.tenant(), name).isEmpty()) {
                throw ApiException.notFound("device type " + name + " not found");
            }
            long inUse = h.attach(DeviceDao.class).countOfType(caller.tenant(), name);
            if (inUse > 0) {
                throw ApiException.conflict("device type " + name + " is used by " + inUse + " device(s)");
            }
            types.delete(caller.tenant(), name);
            activities.record(h, caller, "device-type.delete", "device-type", name, Map.of());
        });
    }

    private static void check(DeviceTypeSpec spec) {
        List<String> problems = DeviceTypeRules.problems(spec);
        if (!problems.isEmpty()) {
            throw new ApiException(400, problems.get(0), problems);
        }
    }

    private DeviceTypeRow toRow(String tenant, DeviceTypeSpec spec) {
        return new DeviceTypeRow(tenant, spec.name(), spec.description() == null ? "" : spec.description(),
                json.writeAny(orEmpty(spec.features())), json.writeAny(orEmpty(spec.metrics())),
                json.writeAny(orEmpty(spec.properties())), json.writeAny(orEmpty(spec.transports())), null, null);
    }

    private DeviceTypeView view(DeviceTypeRow row) {
        return new DeviceTypeView(row.name(), row.description(), json.readAs(row.features(), FEATURES),
                json.readAs(row.metrics(), METRICS), json.readAs(row.properties(), PROPERTIES),
                json.readAs(row.transports(), STRINGS), row.createdAt(), row.updatedAt());
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
