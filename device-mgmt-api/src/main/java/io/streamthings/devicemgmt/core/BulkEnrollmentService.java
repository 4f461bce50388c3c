package io.streamthings.devicemgmt.core;

import io.streamthings.common.device.DeviceStatus;
import io.streamthings.common.device.DeviceTokens;
import io.streamthings.devicemgmt.api.BulkResult;
import io.streamthings.devicemgmt.api.BulkRowResult;
import io.streamthings.devicemgmt.api.EnrollRequest;
import io.streamthings.devicemgmt.api.PropertySpec;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.core.DeviceOutbox.DeviceState;
import io.streamthings.devicemgmt.core.DeviceOutbox.Event;
import io.streamthings.devicemgmt.db.DeviceDao;
import io.streamthings.devicemgmt.db.GroupDao;
import io.streamthings.devicemgmt.db.NewDeviceRow;
import io.streamthings.devicemgmt.errors.ApiException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * Enrolls many devices in one call. Every row is validated on its own, so one bad row fails alone; the valid rows are
 * inserted in chunks, one transaction per chunk, so a large call neither holds one huge transaction nor leaves a
 * chunk half-written.
 */
public class BulkEnrollmentService {

    /** The most rows one call may carry (413 above). */
    public static final int MAX_ROWS = 10_000;

    static final int CHUNK = 1_000;

    private final Jdbi jdbi;
    private final DeviceTypeService types;
    private final Properties json;
    private final ActivityLog activities;
    private final DeviceOutbox outbox;
    private final Validator validator;
    private final DeviceChangeListener listener;

    public BulkEnrollmentService(Jdbi jdbi, DeviceTypeService types, Properties json, ActivityLog activities,
            DeviceOutbox outbox, Validator validator) {
        this(jdbi, types, json, activities, outbox, validator, DeviceChangeListener.NONE);
    }

    /**
     * @param listener told of each chunk's enrolled devices, in its transaction (effective policies); it may not
     *     refuse them, so that one device cannot fail a chunk of others
     */
    public BulkEnrollmentService(Jdbi jdbi, DeviceTypeService types, Properties json, ActivityLog activities,
            DeviceOutbox outbox, Validator validator, DeviceChangeListener listener) {
        this.listener = listener;
        this.jdbi = jdbi;
        this.types = types;
        this.json = json;
        this.activities = activities;
        this.outbox = outbox;
        this.validator = validator;
    }

    /** A row as it arrived: the request, or the reason it could not even be read. */
    public record Row(EnrollRequest request, String error) {}

    public BulkResult enroll(Caller caller, List<Row> rows) {
        if (rows.size() > MAX_ROWS) {
            throw new ApiException(413, "at most " + MAX_ROWS + " devices per call, got " + rows.size());
        }
        BulkRowResult[] results = new BulkRowResult[rows.size()];
        List<Candidate> valid = validate(caller, rows, results);
        for (int from = 0; from < valid.size(); from += CHUNK) {
            insertChunk(caller, valid.subList(from, Math.min(valid.size(), from + CHUNK)), results);
        }
        int enrolled = (int) Arrays.stream(results).filter(r -> "ENROLLED".equals(r.status())).count();
        return new BulkResult(rows.size(), enrolled, rows.size() - enrolled, List.of(results));
    }

    private List<Candidate> validate(Caller caller, List<Row> rows, BulkRowResult[] results) {
        Map<String, Optional<List<PropertySpec>>> typeCache = new HashMap<>();
        Set<String> requestedGroups = rows.stream()
                .filter(r -> r.request() != null && r.request().groups() != null)
                .flatMap(r -> r.request().groups().stream())
                .collect(Collectors.toSet());
        Set<String> visibleGroups = new HashSet<>(jdbi.onDemand(GroupDao.class).visibleIds(caller.tenant(),
                requestedGroups.toArray(String[]::new), caller.name(), caller.roleArray(), caller.isAdmin()));
        Set<String> seenIds = new HashSet<>();
        List<Candidate> valid = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            EnrollRequest r = row.request();
            String id = r == null ? null : r.id();
            String problem = row.error() != null ? row.error() : problem(caller, r, typeCache, visibleGroups);
            if (problem == null && id != null && !seenIds.add(id)) {
                problem = "duplicate id " + id + " in this request";
            }
            if (problem != null) {
                results[i] = BulkRowResult.failed(i, id, problem);
                continue;
            }
            String deviceId = id != null ? id : UUID.randomUUID().toString();
            String owner = r.owner() == null ? caller.name() : r.owner();
            List<String> groups = r.groups() == null ? List.of() : List.copyOf(new LinkedHashSet<>(r.groups()));
            valid.add(new Candidate(i, deviceId, r, owner, json.write(r.properties()), groups));
        }
        return valid;
    }

    private String problem(Caller caller, EnrollRequest r, Map<String, Optional<List<PropertySpec>>> typeCache,
            Set<String> visibleGroups) {
        if (r == null) {
            return "not a device object";
        }
        Set<ConstraintViolation<EnrollRequest>> violations = validator.validate(r);
        if (!violations.isEmpty()) {
            return violations.stream().map(v -> v.getPropertyPath() + " " + v.getMessage()).sorted()
                    .collect(Collectors.joining("; "));
        }
        if (r.owner() != null && !r.owner().equals(caller.name()) && !caller.isAdmin()) {
            return "only an admin may enroll a device for another owner";
        }
        Optional<List<PropertySpec>> specs = typeCache.computeIfAbsent(r.type(),
                t -> types.propertySpecs(caller.tenant(), t));
        if (specs.isEmpty()) {
            return "unknown device type " + r.type();
        }
        List<String> missing = DeviceTypeRules.missingRequired(specs.get(), r.properties());
        if (!missing.isEmpty()) {
            return "properties: missing required " + String.join(", ", missing);
        }
        if (r.groups() != null) {
            List<String> unknown = r.groups().stream().filter(g -> !visibleGroups.contains(g)).toList();
            if (!unknown.isEmpty()) {
                return "unknown group(s) " + String.join(", ", unknown);
            }
        }
        try {
            json.write(r.properties());
        } catch (ApiException e) {
            return e.getMessage();
        }
        return null;
    }

    private void insertChunk(Caller caller, List<Candidate> chunk, BulkRowResult[] results) {
        List<NewDeviceRow> rows = new ArrayList<>(chunk.size());
        List<String> tokens = new ArrayList<>(chunk.size());
        for (Candidate c : chunk) {
            String token = DeviceTokens.generate();
            byte[] salt = DeviceTokens.newSalt();
            tokens.add(token);
            rows.add(new NewDeviceRow(caller.tenant(), c.id(), c.request().name(), c.request().type(), c.owner(),
                    DeviceStatus.ACTIVE.name(), c.propertiesJson(), salt, DeviceTokens.hash(salt, token)));
        }
        jdbi.useTransaction(h -> {
            int[] counts = h.attach(DeviceDao.class).insertAll(rows);
            List<DeviceState> enrolled = new ArrayList<>();
            List<String> memberGroups = new ArrayList<>();
            List<String> memberDevices = new ArrayList<>();
            for (int k = 0; k < chunk.size(); k++) {
                Candidate c = chunk.get(k);
                if (counts[k] == 0) {
                    results[c.index()] = BulkRowResult.failed(c.index(), c.id(), "device " + c.id()
                            + " already exists");
                    continue;
                }
                NewDeviceRow row = rows.get(k);
                enrolled.add(new DeviceState(caller.tenant(), c.id(), row.type(), row.owner(), DeviceStatus.ACTIVE,
                        row.tokenSalt(), row.tokenHash()));
                for (String group : c.groups()) {
                    memberGroups.add(group);
                    memberDevices.add(c.id());
                }
                results[c.index()] = BulkRowResult.enrolled(c.index(), c.id(), tokens.get(k));
            }
            if (!memberGroups.isEmpty()) {
                h.attach(GroupDao.class).addDevices(caller.tenant(), memberGroups, memberDevices);
            }
            outbox.changedAll(h, enrolled, Event.ENROLLED);
            listener.devicesChanged(h, caller, enrolled.stream().map(DeviceState::id).toList(), false);
            if (!enrolled.isEmpty()) {
                activities.record(h, caller, "device.bulk-enroll", "device", enrolled.get(0).id(),
                        Map.of("count", enrolled.size(), "ids", enrolled.stream().map(DeviceState::id).toList()));
            }
        });
    }

    private record Candidate(
            int index, String id, EnrollRequest request, String owner, String propertiesJson, List<String> groups) {}
}
