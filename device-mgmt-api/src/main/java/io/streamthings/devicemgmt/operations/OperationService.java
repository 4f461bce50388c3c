package io.streamthings.devicemgmt.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.operation.OperationCodec;
import io.streamthings.common.operation.OperationMessage;
import io.streamthings.devicemgmt.api.Page;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.db.DeviceDao;
import io.streamthings.devicemgmt.db.DeviceTypeDao;
import io.streamthings.devicemgmt.db.DeviceTypeRow;
import io.streamthings.devicemgmt.db.GroupDao;
import io.streamthings.devicemgmt.db.OutboxDao;
import io.streamthings.devicemgmt.db.OutboxRow;
import io.streamthings.devicemgmt.errors.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operations to devices: creation (one device, a group, a list), the state machine every report goes through, delivery
 * through the {@code operations} topic (via the transactional outbox, so an operation and its Kafka record are stored
 * together), redelivery to a device that comes back, the HTTP pull, rollouts, cancellation, and the sweeper's work on
 * stored deadlines. Other services (policies, edge-rule deployments) create operations through
 * {@link #submit(Caller, List, OperationSpec)} or {@link #submitAsSystem(String, String, List, OperationSpec)} and
 * follow them with {@link #addListener(OperationListener)}.
 */
public class OperationService {

    private static final Logger LOG = LoggerFactory.getLogger(OperationService.class);
    private static final int SWEEP_BATCH = 1_000;
    private static final int MAX_DETAILS = 20;

    private final Jdbi jdbi;
    private final Clock clock;
    private final OperationsConfig config;
    private final Runnable outboxWakeUp;
    private final ParamsValidator validator = new ParamsValidator();
    private final List<OperationListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Runnable sweeperWakeUp = () -> {};

    /**
     * @param outboxWakeUp run after a commit that queued Kafka records (wakes the outbox publisher)
     */
    public OperationService(Jdbi jdbi, Clock clock, OperationsConfig config, Runnable outboxWakeUp) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.config = config;
        this.outboxWakeUp = outboxWakeUp;
        jdbi.registerRowMapper(ConstructorMapper.factory(OperationRow.class));
        jdbi.registerRowMapper(ConstructorMapper.factory(RolloutRow.class));
    }

    /** Follows every committed change of state. */
    public void addListener(OperationListener listener) {
        listeners.add(listener);
    }

    void sweeperWakeUp(Runnable wakeUp) {
        this.sweeperWakeUp = wakeUp;
    }

    // ---- creation ----

    /** One operation to one device the caller may act on (404 otherwise). */
    public OperationView createForDevice(Caller caller, String deviceId, OperationSpec spec) {
        Submitted s = submit(caller, new Target("DEVICE", deviceId), List.of(deviceId), spec, true);
        if (s.rolloutId() != null) {
            throw new IllegalStateException("a single device without a rollout spec has no rollout");
        }
        return find(caller, s.operationIds().get(deviceId)).map(v -> (OperationView) v).orElseThrow();
    }

    /** A rollout to every device of a group the caller may see (404 otherwise; 422 when the group is empty). */
    public RolloutView createForGroup(Caller caller, String groupId, OperationSpec spec) {
        List<String> members = jdbi.withHandle(h -> {
            h.attach(GroupDao.class).findVisible(caller.tenant(), groupId, caller.name(), caller.roleArray(),
                    caller.isAdmin()).orElseThrow(() -> ApiException.notFound("group " + groupId + " not found"));
            return h.createQuery("SELECT device_id FROM group_devices WHERE tenant = :tenant AND group_id = :id "
                            + "ORDER BY device_id")
                    .bind("tenant", caller.tenant()).bind("id", groupId).mapTo(String.class).list();
        });
        if (members.isEmpty()) {
            throw ApiException.unprocessable("group " + groupId + " has no devices");
        }
        Submitted s = submit(caller, new Target("GROUP", groupId), members, spec, true);
        return rollout(caller.tenant(), s.rolloutId());
    }

    /** A rollout to the listed devices, each of which the caller must be able to act on (404 otherwise). */
    public RolloutView createForDevices(Caller caller, List<String> deviceIds, OperationSpec spec) {
        if (deviceIds == null || deviceIds.isEmpty()) {
            throw ApiException.badRequest("devices: name at least one device");
        }
        Submitted s = submit(caller, new Target("DEVICES", null), deviceIds, spec, true, true);
        return rollout(caller.tenant(), s.rolloutId());
    }

    /**
     * The Java entry point for other services: operations of any kind to the listed devices of the caller's tenant,
     * which the caller must be able to act on (404 naming the first that is not). One device without
     * {@code spec.rollout()} gives a lone operation; anything else a rollout.
     *
     * @throws ApiException 404 for an unknown or hidden device, 422 for an unknown feature or params that break its
     *     schema (COMMAND and CONFIG), 400 for bad input
     */
    public Submitted submit(Caller caller, List<String> deviceIds, OperationSpec spec) {
        return submit(caller, new Target(deviceIds.size() == 1 ? "DEVICE" : "DEVICES", null), deviceIds, spec, true);
    }

    /**
     * As {@link #submit(Caller, List, OperationSpec)} for the platform itself (a policy pushed because a device's
     * effective policy changed, an edge-rule deployment): no per-device permission check, the devices must exist in
     * the tenant. {@code actor} names who acts in the activity log (e.g. {@code policy:p1}).
     */
    public Submitted submitAsSystem(String tenant, String actor, List<String> deviceIds, OperationSpec spec) {
        Caller system = new Caller(tenant, actor, "system", Set.of(), Set.of(), new byte[0]);
        return submit(system, new Target(deviceIds.size() == 1 ? "DEVICE" : "DEVICES", null), deviceIds, spec, false);
    }

    private record Target(String type, String id) {}

    private Submitted submit(Caller caller, Target target, List<String> deviceIds, OperationSpec spec,
            boolean checkAccess) {
        return submit(caller, target, deviceIds, spec, checkAccess, false);
    }

    private Submitted submit(Caller caller, Target target, List<String> requested, OperationSpec spec,
            boolean checkAccess, boolean forceRollout) {
        if (spec == null || spec.kind() == null || spec.code() == null || spec.code().isBlank()) {
            throw ApiException.badRequest("kind and code are required");
        }
        List<String> deviceIds = List.copyOf(new LinkedHashSet<>(requested));
        JsonNode params = spec.params() == null || spec.params().isNull() ? Json.MAPPER.createObjectNode()
                : spec.params();
        boolean oneWay = Boolean.TRUE.equals(spec.oneWay());
        long timeoutMs = Duration.ofSeconds(spec.timeoutSeconds() != null ? spec.timeoutSeconds()
                : config.getDefaultTimeoutSeconds()).toMillis();
        long expiresInMs = Duration.ofSeconds(spec.expiresInSeconds() != null ? spec.expiresInSeconds()
                : config.getDefaultExpirySeconds()).toMillis();
        OperationSpec.RolloutSpec rollout = spec.rollout();
        boolean asRollout = forceRollout || rollout != null || deviceIds.size() > 1 || "GROUP".equals(target.type());
        boolean holdBack = rollout != null && (rollout.batchSize() != null || rollout.ratePerMinute() != null);
        String tenant = caller.tenant();

        Submitted submitted = jdbi.inTransaction(h -> {
            Map<String, String> types = deviceTypes(h, caller, deviceIds, checkAccess);
            if (spec.kind().checkedAgainstFeatures()) {
                checkFeature(h, tenant, spec.code(), params, new LinkedHashSet<>(types.values()));
            }
            Instant now = clock.instant();
            String rolloutId = asRollout ? "ro-" + UUID.randomUUID() : null;
            if (rolloutId != null) {
                OperationStore.insertRollout(h, new RolloutRow(tenant, rolloutId, spec.kind().name(), spec.code(),
                        target.type(), target.id(), "RUNNING", deviceIds.size(),
                        rollout == null ? null : rollout.batchSize(), rollout == null ? null : rollout.ratePerMinute(),
                        rollout == null ? null : rollout.abortThresholdPercent(), null, caller.name(), now, null));
            }
            List<Changed> changes = new ArrayList<>();
            if (spec.kind() == OperationKind.CONFIG) {
                changes.addAll(supersede(h, tenant, deviceIds, spec.code(), now));
            }
            String paramsJson = Json.writeOrNull(params);
            Instant expiresAt = now.plusMillis(expiresInMs);
            List<OperationStore.NewOperation> rows = new ArrayList<>(deviceIds.size());
            List<OperationStore.HistoryEntry> history = new ArrayList<>(deviceIds.size() * 2);
            Map<String, String> ids = new LinkedHashMap<>();
            for (String deviceId : deviceIds) {
                String id = "op-" + UUID.randomUUID();
                ids.put(deviceId, id);
                boolean released = !holdBack;
                rows.add(new OperationStore.NewOperation(tenant, id, deviceId, rolloutId, spec.kind().name(),
                        spec.code(), paramsJson, oneWay, UUID.randomUUID().toString(),
                        released ? "SENT" : "PENDING", released, caller.name(), now, released ? now : null,
                        released ? 1 : 0, expiresAt, timeoutMs));
                history.add(new OperationStore.HistoryEntry(tenant, id, "PENDING", "api", null, now));
                if (released) {
                    history.add(new OperationStore.HistoryEntry(tenant, id, "SENT", "api", null, now));
                }
            }
            OperationStore.insertOperations(h, rows);
            OperationStore.insertHistory(h, history);
            if (!holdBack) {
                List<OutboxRow> out = new ArrayList<>(rows.size());
                for (OperationStore.NewOperation r : rows) {
                    out.add(outboxRow(r.tenant(), r.deviceId(), r.id(), r.kind(), r.code(), paramsJson,
                            r.idempotencyKey(), oneWay, timeoutMs, expiresAt));
                }
                h.attach(OutboxDao.class).insertAll(out);
                h.afterCommit(outboxWakeUp);
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("kind", spec.kind().name());
            details.put("code", spec.code());
            details.put("devices", deviceIds.size());
            if (target.id() != null) {
                details.put(target.type().toLowerCase(java.util.Locale.ROOT), target.id());
            }
            if (rolloutId == null) {
                details.put("deviceId", deviceIds.get(0));
            }
            activity(h, tenant, caller.name(), "operation.create", rolloutId != null ? "rollout" : "operation",
                    rolloutId != null ? rolloutId : ids.get(deviceIds.get(0)), details);
            recordChanges(h, changes, caller.name());
            h.afterCommit(() -> notifyListeners(changes));
            return new Submitted(rolloutId, ids);
        });
        if (submitted.rolloutId() != null && holdBack) {
            driveRollout(tenant, submitted.rolloutId());
        }
        return submitted;
    }

    /** The type of each device, in order; 404 naming the first that is unknown or hidden from the caller. */
    private static Map<String, String> deviceTypes(Handle h, Caller caller, List<String> ids, boolean checkAccess) {
        Map<String, String> found = new HashMap<>();
        h.createQuery("SELECT d.id, d.type FROM devices d WHERE d.tenant = :tenant AND d.id = ANY(:ids) AND (NOT "
                        + ":check OR " + DeviceDao.VISIBLE + ")")
                .bind("tenant", caller.tenant()).bind("ids", ids.toArray(String[]::new)).bind("check", checkAccess)
                .bind("caller", caller.name()).bind("roles", caller.roleArray()).bind("admin", caller.isAdmin())
                .map((rs, ctx) -> found.put(rs.getString("id"), rs.getString("type"))).list();
        Map<String, String> types = new LinkedHashMap<>();
        for (String id : ids) {
            String type = found.get(id);
            if (type == null) {
                throw ApiException.notFound("device " + id + " not found");
            }
            types.put(id, type);
        }
        return types;
    }

    private void checkFeature(Handle h, String tenant, String code, JsonNode params, Set<String> types) {
        DeviceTypeDao dao = h.attach(DeviceTypeDao.class);
        for (String type : types) {
            DeviceTypeRow row = dao.find(tenant, type).orElseThrow(
                    () -> ApiException.unprocessable("device type " + type + " not found"));
            JsonNode features = Json.readOrNull(row.features());
            JsonNode feature = null;
            if (features != null) {
                for (JsonNode f : features) {
                    if (code.equals(f.path("code").asText(null))) {
                        feature = f;
                    }
                }
            }
            if (feature == null) {
                throw ApiException.unprocessable("device type " + type + " has no feature '" + code + "'");
            }
            List<String> violations = validator.violations(feature.get("params"), params);
            if (!violations.isEmpty()) {
                throw new ApiException(422, "params do not match the schema of feature '" + code + "' of device type "
                        + type + ": " + violations.get(0),
                        violations.subList(0, Math.min(MAX_DETAILS, violations.size())));
            }
        }
    }

    /** Older CONFIGs of the same feature not yet delivered to these devices: SUPERSEDED. */
    private static List<Changed> supersede(Handle h, String tenant, List<String> deviceIds, String code,
            Instant now) {
        List<OperationRow> rows = OperationStore.finishWhere(h, "(o.tenant, o.id) IN (SELECT tenant, id FROM "
                        + "operations WHERE tenant = :tenant AND device_id = ANY(:ids) AND kind = 'CONFIG' "
                        + "AND code = :code AND status IN ('PENDING', 'SENT') ORDER BY id FOR UPDATE)",
                Map.of("tenant", tenant, "ids", deviceIds.toArray(String[]::new), "code", code), "SUPERSEDED", now);
        return rows.stream().map(r -> Changed.of(r, OperationState.SUPERSEDED, null, "api", now)).toList();
    }

    private static OutboxRow outboxRow(String tenant, String deviceId, String id, String kind, String code,
            String paramsJson, String idempotencyKey, boolean oneWay, long timeoutMs, Instant expiresAt) {
        String payload = devicePayload(id, kind, code, paramsJson, idempotencyKey, oneWay, timeoutMs, expiresAt)
                .toString();
        return new OutboxRow(0, Topics.OPERATIONS.name(), Topics.deviceKey(tenant, deviceId),
                OperationCodec.encode(new OperationMessage(tenant, deviceId, id, payload)));
    }

    private static OutboxRow outboxRow(OperationRow r) {
        return outboxRow(r.tenant(), r.deviceId(), r.id(), r.kind(), r.code(), r.params(), r.idempotencyKey(),
                r.oneWay(), r.timeoutMs(), r.expiresAt());
    }

    /**
     * What a device receives, over MQTT (as the {@code payload} of the operation message) and over HTTP (one item of
     * the pull): {@code {"operationId", "kind", "code", "params", "idempotencyKey", "oneWay", "timeoutSeconds",
     * "expiresAt"}}. A device that sees an idempotency key again must not run the operation again.
     */
    static ObjectNode devicePayload(String id, String kind, String code, String paramsJson, String idempotencyKey,
            boolean oneWay, long timeoutMs, Instant expiresAt) {
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("operationId", id);
        p.put("kind", kind);
        p.put("code", code);
        p.set("params", Json.readOrNull(paramsJson));
        p.put("idempotencyKey", idempotencyKey);
        p.put("oneWay", oneWay);
        p.put("timeoutSeconds", timeoutMs / 1000);
        p.put("expiresAt", expiresAt.toEpochMilli());
        return p;
    }

    // ---- reports: the state machine ----

    /** Where a report comes from: {@code mqtt} (via ingest), {@code http} (the device API), {@code transport}. */
    public record Report(String tenant, String deviceId, String operationId, OperationState status, JsonNode response,
            String source) {}

    /** What became of a report. */
    public enum Outcome {
        APPLIED,
        /** The operation is already in that state: nothing changed. */
        DUPLICATE,
        /** No such operation of that device (another device's operations are not found either). */
        NOT_FOUND,
        /** Not a state a device may report. */
        NOT_REPORTABLE,
        /** The report would move the operation backwards or out of a final state. */
        REFUSED
    }

    public record Result(Outcome outcome, String message, OperationRow row) {}

    /** The decision for one report on the stored row; pure, for tests. */
    static Decision decide(OperationRow row, String deviceId, OperationState reported) {
        if (row == null || !row.deviceId().equals(deviceId)) {
            return new Decision(Outcome.NOT_FOUND, "operation not found", List.of());
        }
        if (reported == null || !reported.reportableByDevice()) {
            return new Decision(Outcome.NOT_REPORTABLE, "status: a device reports one of DELIVERED, IN_PROGRESS, "
                    + "COMPLETED, ERROR, REJECTED", List.of());
        }
        OperationState current = row.state();
        if (current == reported) {
            return new Decision(Outcome.DUPLICATE, "already " + current, List.of());
        }
        if (current.terminal()) {
            return new Decision(Outcome.REFUSED, "operation is already " + current + "; it cannot become "
                    + reported, List.of());
        }
        if (reported.rank() < current.rank()) {
            return new Decision(Outcome.REFUSED, "operation is already " + current + "; it cannot go back to "
                    + reported, List.of());
        }
        if (reported == OperationState.DELIVERED && row.oneWay()) {
            return new Decision(Outcome.APPLIED, null, List.of(OperationState.DELIVERED, OperationState.COMPLETED));
        }
        return new Decision(Outcome.APPLIED, null, List.of(reported));
    }

    record Decision(Outcome outcome, String message, List<OperationState> states) {}

    /** Applies reports in one transaction, in order; refusals are results, not exceptions. */
    public List<Result> report(List<Report> reports) {
        if (reports.isEmpty()) {
            return List.of();
        }
        List<Changed> changes = new ArrayList<>();
        List<Result> results = jdbi.inTransaction(h -> applyReports(h, reports, changes));
        afterChanges(changes);
        return results;
    }

    private List<Result> applyReports(Handle h, List<Report> reports, List<Changed> changes) {
        Map<String, List<String>> idsByTenant = new LinkedHashMap<>();
        for (Report r : reports) {
            idsByTenant.computeIfAbsent(r.tenant(), t -> new ArrayList<>()).add(r.operationId());
        }
        Map<String, OperationRow> rows = new HashMap<>();
        for (Map.Entry<String, List<String>> e : idsByTenant.entrySet()) {
            for (OperationRow row : OperationStore.lock(h, e.getKey(), e.getValue())) {
                rows.put(row.tenant() + "/" + row.id(), row);
            }
        }
        Instant now = clock.instant();
        List<Result> results = new ArrayList<>(reports.size());
        Map<String, OperationStore.Update> updates = new LinkedHashMap<>();
        for (Report r : reports) {
            String key = r.tenant() + "/" + r.operationId();
            OperationRow row = rows.get(key);
            Decision d = decide(row, r.deviceId(), r.status());
            if (d.outcome() != Outcome.APPLIED) {
                results.add(new Result(d.outcome(), d.message(), d.outcome() == Outcome.NOT_FOUND ? null : row));
                continue;
            }
            String response = Json.writeOrNull(r.response());
            for (OperationState s : d.states()) {
                Instant deliveredAt = s.rank() >= OperationState.DELIVERED.rank()
                        ? (row.deliveredAt() != null ? row.deliveredAt() : now) : null;
                Instant deadline = deliveredAt != null && !s.terminal()
                        ? deliveredAt.plusMillis(row.timeoutMs()) : row.deadlineAt();
                Instant finishedAt = s.terminal() ? now : null;
                row = new OperationRow(row.tenant(), row.id(), row.seq(), row.deviceId(), row.rolloutId(), row.kind(),
                        row.code(), row.params(), row.oneWay(), row.idempotencyKey(), s.name(), row.released(),
                        response != null ? response : row.response(), row.createdBy(), row.createdAt(), now,
                        row.sentAt(), row.sendCount(), deliveredAt != null ? deliveredAt : row.deliveredAt(),
                        finishedAt, row.expiresAt(), row.timeoutMs(), deadline);
                changes.add(Changed.of(row, s, s == d.states().get(0) ? r.response() : null, r.source(), now));
            }
            rows.put(key, row);
            updates.put(key, new OperationStore.Update(row.tenant(), row.id(), row.status(), row.response(), now,
                    row.deliveredAt(), row.finishedAt(), row.deadlineAt()));
            results.add(new Result(Outcome.APPLIED, null, row));
        }
        OperationStore.applyUpdates(h, List.copyOf(updates.values()));
        recordChanges(h, changes, null);
        return results;
    }

    /**
     * A device's report over HTTP: 404 when the operation is not its own, 400 for a status a device may not report,
     * 409 when it would move the operation backwards or out of a final state; a duplicate changes nothing.
     */
    public OperationView reportFromDevice(String tenant, String deviceId, String operationId, StatusReport report) {
        OperationState status = OperationState.parse(report.status());
        Result result = report(List.of(new Report(tenant, deviceId, operationId, status, report.response(), "http")))
                .get(0);
        return switch (result.outcome()) {
            case APPLIED, DUPLICATE -> view(result.row());
            case NOT_FOUND -> throw ApiException.notFound("operation " + operationId + " not found");
            case NOT_REPORTABLE -> throw ApiException.badRequest(result.message());
            case REFUSED -> throw ApiException.conflict(result.message());
        };
    }

    /**
     * The HTTP pull: the device's operations waiting for delivery, oldest first, each now DELIVERED (one-way ones
     * COMPLETED), so a device that pulls twice gets each once.
     */
    public List<JsonNode> pull(String tenant, String deviceId) {
        List<Changed> changes = new ArrayList<>();
        List<JsonNode> out = jdbi.inTransaction(h -> {
            List<OperationRow> rows = OperationStore.undeliveredOfDevice(h, tenant, deviceId);
            List<Report> reports = rows.stream().map(r -> new Report(tenant, deviceId, r.id(),
                    OperationState.DELIVERED, null, "http")).toList();
            applyReports(h, reports, changes);
            return rows.stream().map(r -> (JsonNode) devicePayload(r.id(), r.kind(), r.code(), r.params(),
                    r.idempotencyKey(), r.oneWay(), r.timeoutMs(), r.expiresAt())).toList();
        });
        afterChanges(changes);
        return out;
    }

    /**
     * The device came online: its released, unfinished operations go again, in creation order: the undelivered ones,
     * and the delivered ones it has not finished (it may have lost them in a crash; it may have finished them and its
     * report been lost). A device that had them already runs none twice (idempotency key) and reports its status again.
     */
    public int redeliver(String tenant, String deviceId) {
        return jdbi.inTransaction(h -> {
            List<OperationRow> rows = OperationStore.unfinishedOfDevice(h, tenant, deviceId);
            if (rows.isEmpty()) {
                return 0;
            }
            List<String> undelivered = rows.stream().filter(r -> r.state() == OperationState.SENT)
                    .map(OperationRow::id).toList();
            if (!undelivered.isEmpty()) {
                OperationStore.markSent(h, tenant, undelivered, clock.instant());
            }
            h.attach(OutboxDao.class).insertAll(rows.stream().map(OperationService::outboxRow).toList());
            h.afterCommit(outboxWakeUp);
            return rows.size();
        });
    }

    // ---- reading ----

    /** An operation or a rollout by id, if the caller may see it: an {@link OperationView} or a {@link RolloutView}. */
    public Optional<Object> find(Caller caller, String id) {
        return jdbi.withHandle(h -> {
            Optional<OperationRow> op = OperationStore.find(h, caller.tenant(), id);
            if (op.isPresent()) {
                if (!deviceVisible(h, caller, op.get().deviceId())) {
                    return Optional.empty();
                }
                return Optional.of(view(op.get()).withHistory(OperationStore.history(h, caller.tenant(), id)));
            }
            Optional<RolloutRow> rollout = OperationStore.findRollout(h, caller.tenant(), id);
            if (rollout.isPresent() && rolloutVisible(h, caller, rollout.get())) {
                return Optional.of(rolloutView(rollout.get(), OperationStore.counts(h, caller.tenant(), id)));
            }
            return Optional.empty();
        });
    }

    /** The operations of a device the caller may see (404 otherwise), newest first. */
    public Page<OperationView> ofDevice(Caller caller, String deviceId, String status, int offset, int limit) {
        String state = stateFilter(status);
        return jdbi.withHandle(h -> {
            if (!deviceVisible(h, caller, deviceId)) {
                throw ApiException.notFound("device " + deviceId + " not found");
            }
            List<OperationView> items = OperationStore.ofDevice(h, caller.tenant(), deviceId, state, offset, limit)
                    .stream().map(OperationService::view).toList();
            return new Page<>(items, OperationStore.countOfDevice(h, caller.tenant(), deviceId, state), offset,
                    limit);
        });
    }

    /** The operations of a rollout the caller may see (404 otherwise), in creation order. */
    public Page<OperationView> ofRollout(Caller caller, String rolloutId, String status, int offset, int limit) {
        String state = stateFilter(status);
        return jdbi.withHandle(h -> {
            RolloutRow r = OperationStore.findRollout(h, caller.tenant(), rolloutId)
                    .filter(row -> rolloutVisible(h, caller, row))
                    .orElseThrow(() -> ApiException.notFound("rollout " + rolloutId + " not found"));
            List<OperationView> items = OperationStore.ofRollout(h, caller.tenant(), r.id(), state, offset, limit)
                    .stream().map(OperationService::view).toList();
            long total = state == null ? r.total()
                    : OperationStore.counts(h, caller.tenant(), r.id()).byState().get(OperationState.valueOf(state));
            return new Page<>(items, total, offset, limit);
        });
    }

    /** The rollouts the caller started (all of the tenant's for an admin), newest first. */
    public Page<RolloutView> rollouts(Caller caller, int offset, int limit) {
        return jdbi.withHandle(h -> {
            List<RolloutView> items = OperationStore.rollouts(h, caller.tenant(), caller.name(), caller.isAdmin(),
                    offset, limit).stream()
                    .map(r -> rolloutView(r, OperationStore.counts(h, r.tenant(), r.id()))).toList();
            return new Page<>(items, OperationStore.countRollouts(h, caller.tenant(), caller.name(), caller.isAdmin()),
                    offset, limit);
        });
    }

    /** A rollout by id, without a permission check (for the Java callers that created it). */
    public RolloutView rollout(String tenant, String rolloutId) {
        return jdbi.withHandle(h -> rolloutView(OperationStore.findRollout(h, tenant, rolloutId).orElseThrow(
                () -> ApiException.notFound("rollout " + rolloutId + " not found")),
                OperationStore.counts(h, tenant, rolloutId)));
    }

    /** An operation by id, without a permission check (for the Java callers that created it). */
    public Optional<OperationView> operation(String tenant, String operationId) {
        return jdbi.withHandle(h -> OperationStore.find(h, tenant, operationId).map(OperationService::view));
    }

    private static String stateFilter(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        OperationState s = OperationState.parse(status);
        if (s == null) {
            throw ApiException.badRequest("status: one of " + java.util.Arrays.toString(OperationState.values()));
        }
        return s.name();
    }

    private static boolean deviceVisible(Handle h, Caller caller, String deviceId) {
        return h.attach(DeviceDao.class).findVisible(caller.tenant(), deviceId, caller.name(), caller.roleArray(),
                caller.isAdmin()).isPresent();
    }

    private static boolean rolloutVisible(Handle h, Caller caller, RolloutRow r) {
        if (caller.isAdmin() || caller.name().equals(r.createdBy())) {
            return true;
        }
        return "GROUP".equals(r.targetType()) && h.attach(GroupDao.class).findVisible(caller.tenant(), r.targetId(),
                caller.name(), caller.roleArray(), caller.isAdmin()).isPresent();
    }

    static OperationView view(OperationRow r) {
        return new OperationView(r.id(), r.deviceId(), r.rolloutId(), OperationKind.valueOf(r.kind()), r.code(),
                Json.readOrNull(r.params()), r.oneWay(), r.state(), r.idempotencyKey(), Json.readOrNull(r.response()),
                r.createdBy(), r.createdAt(), r.updatedAt(), r.sentAt(), r.deliveredAt(), r.finishedAt(),
                r.expiresAt(), r.timeoutMs() / 1000, null);
    }

    static RolloutView rolloutView(RolloutRow r, OperationStore.Counts c) {
        long finished = c.finished();
        return new RolloutView(r.id(), OperationKind.valueOf(r.kind()), r.code(), r.targetType(), r.targetId(),
                r.status(), r.total(), c.released(), finished, r.total() == 0 ? 1.0 : (double) finished / r.total(),
                c.attempted() == 0 ? 0.0 : 100.0 * c.failed() / c.attempted(), c.byState(), r.batchSize(), r.ratePerMinute(),
                r.abortPercent(), r.reason(), r.createdBy(), r.createdAt(), r.finishedAt());
    }

    // ---- cancellation ----

    /**
     * Cancels an operation not yet delivered, or the rest of a rollout (every operation of it not yet delivered); what
     * a device already has runs to its end. 404 when the caller may not see it, 409 when there is nothing to cancel.
     */
    public Object cancel(Caller caller, String id) {
        List<Changed> changes = new ArrayList<>();
        Object result = jdbi.inTransaction(h -> {
            Instant now = clock.instant();
            Optional<OperationRow> op = OperationStore.find(h, caller.tenant(), id);
            if (op.isPresent()) {
                if (!deviceVisible(h, caller, op.get().deviceId())) {
                    throw ApiException.notFound("operation " + id + " not found");
                }
                List<OperationRow> cancelled = OperationStore.finishWhere(h, "o.tenant = :tenant AND o.id = :id "
                        + "AND o.status IN ('PENDING', 'SENT')", Map.of("tenant", caller.tenant(), "id", id),
                        "CANCELLED", now);
                if (cancelled.isEmpty()) {
                    OperationRow now2 = OperationStore.find(h, caller.tenant(), id).orElseThrow();
                    throw ApiException.conflict("operation " + id + " is " + now2.status()
                            + "; only one not yet delivered can be cancelled");
                }
                changes.add(Changed.of(cancelled.get(0), OperationState.CANCELLED, null, "api", now));
                recordChanges(h, changes, caller.name());
                activity(h, caller.tenant(), caller.name(), "operation.cancel", "operation", id,
                        Map.of("deviceId", op.get().deviceId()));
                return view(cancelled.get(0));
            }
            RolloutRow r = OperationStore.lockRollout(h, caller.tenant(), id)
                    .filter(row -> rolloutVisible(h, caller, row))
                    .orElseThrow(() -> ApiException.notFound("operation " + id + " not found"));
            if (!"RUNNING".equals(r.status())) {
                throw ApiException.conflict("rollout " + id + " is " + r.status());
            }
            changes.addAll(cancelRest(h, r, now));
            OperationStore.finishRollout(h, r.tenant(), r.id(), "CANCELLED", "cancelled by " + caller.name(), now);
            recordChanges(h, changes, caller.name());
            activity(h, caller.tenant(), caller.name(), "rollout.cancel", "rollout", id,
                    Map.of("cancelled", changes.size()));
            return rolloutView(OperationStore.findRollout(h, r.tenant(), r.id()).orElseThrow(),
                    OperationStore.counts(h, r.tenant(), r.id()));
        });
        afterChanges(changes);
        return result;
    }

    private static List<Changed> cancelRest(Handle h, RolloutRow r, Instant now) {
        return OperationStore.finishWhere(h, "(o.tenant, o.id) IN (SELECT tenant, id FROM operations WHERE "
                        + "tenant = :tenant AND rollout_id = :id AND status IN ('PENDING', 'SENT') ORDER BY id "
                        + "FOR UPDATE)", Map.of("tenant", r.tenant(), "id", r.id()), "CANCELLED", now)
                .stream().map(row -> Changed.of(row, OperationState.CANCELLED, null, "rollout", now)).toList();
    }

    // ---- the sweeper's work: every step bounded, every step its own transaction ----

    /**
     * One pass: overdue operations to EXPIRED (never delivered) or TIMED_OUT (delivered, not finished); SENT
     * operations of online devices not acknowledged for a while sent again; running rollouts moved on.
     *
     * @return how many operations changed or were sent again (more than a batch means: call again soon)
     */
    public int sweepOnce() {
        int n = expireOverdue();
        n += resendUnacknowledged();
        for (RolloutRow r : jdbi.withHandle(h -> OperationStore.runningRollouts(h, 200))) {
            n += driveRollout(r.tenant(), r.id());
        }
        return n;
    }

    int expireOverdue() {
        List<Changed> changes = new ArrayList<>();
        jdbi.useTransaction(h -> {
            Instant now = clock.instant();
            for (OperationRow r : OperationStore.finishWhere(h, "(o.tenant, o.id) IN (SELECT tenant, id FROM "
                    + "operations WHERE status IN ('PENDING', 'SENT') AND deadline_at <= :now ORDER BY deadline_at "
                    + "LIMIT " + SWEEP_BATCH + " FOR UPDATE SKIP LOCKED)", Map.of(), "EXPIRED", now)) {
                changes.add(Changed.of(r, OperationState.EXPIRED, null, "sweeper", now));
            }
            for (OperationRow r : OperationStore.finishWhere(h, "(o.tenant, o.id) IN (SELECT tenant, id FROM "
                    + "operations WHERE status IN ('DELIVERED', 'IN_PROGRESS') AND deadline_at <= :now "
                    + "ORDER BY deadline_at LIMIT " + SWEEP_BATCH + " FOR UPDATE SKIP LOCKED)", Map.of(), "TIMED_OUT",
                    now)) {
                changes.add(Changed.of(r, OperationState.TIMED_OUT, null, "sweeper", now));
            }
            recordChanges(h, changes, "sweeper");
        });
        afterChanges(changes);
        return changes.size();
    }

    /** A device online whose operation was sent but not acknowledged within resendAfterSeconds gets it again. */
    int resendUnacknowledged() {
        return jdbi.inTransaction(h -> {
            Instant now = clock.instant();
            List<OperationRow> rows = h.createQuery("SELECT " + OperationStore.COLUMNS + "FROM operations o "
                            + "JOIN devices d ON d.tenant = o.tenant AND d.id = o.device_id WHERE o.status = 'SENT' "
                            + "AND o.sent_at <= :cutoff AND d.online ORDER BY o.seq LIMIT " + SWEEP_BATCH
                            + " FOR UPDATE OF o SKIP LOCKED")
                    .bind("cutoff", now.minusSeconds(config.getResendAfterSeconds()))
                    .mapTo(OperationRow.class).list();
            if (rows.isEmpty()) {
                return 0;
            }
            Map<String, List<String>> byTenant = new LinkedHashMap<>();
            for (OperationRow r : rows) {
                byTenant.computeIfAbsent(r.tenant(), t -> new ArrayList<>()).add(r.id());
            }
            byTenant.forEach((tenant, ids) -> OperationStore.markSent(h, tenant, ids, now));
            h.attach(OutboxDao.class).insertAll(rows.stream().map(OperationService::outboxRow).toList());
            h.afterCommit(outboxWakeUp);
            return rows.size();
        });
    }

    /** Moves one rollout on: abort past its threshold, release the next batch, or finish it. */
    int driveRollout(String tenant, String rolloutId) {
        List<Changed> changes = new ArrayList<>();
        int released = jdbi.inTransaction(h -> {
            Optional<RolloutRow> locked = OperationStore.lockRollout(h, tenant, rolloutId);
            if (locked.isEmpty() || !"RUNNING".equals(locked.get().status())) {
                return 0;
            }
            RolloutRow r = locked.get();
            Instant now = clock.instant();
            OperationStore.Counts c = OperationStore.counts(h, tenant, rolloutId);
            long finished = c.finished();
            long attempted = c.attempted();
            if (r.abortPercent() != null && attempted > 0 && 100.0 * c.failed() / attempted > r.abortPercent()) {
                changes.addAll(cancelRest(h, r, now));
                String reason = String.format(java.util.Locale.ROOT, "aborted: %d of %d finished failed (%.1f%% > "
                        + "%.1f%%)", c.failed(), attempted, 100.0 * c.failed() / attempted, r.abortPercent());
                OperationStore.finishRollout(h, tenant, rolloutId, "ABORTED", reason, now);
                recordChanges(h, changes, "rollout");
                activity(h, tenant, "rollout", "rollout.abort", "rollout", rolloutId, Map.of("reason", reason));
                return 0;
            }
            if (c.open() == 0) {
                OperationStore.finishRollout(h, tenant, rolloutId, "COMPLETED", null, now);
                activity(h, tenant, "rollout", "rollout.finish", "rollout", rolloutId,
                        Map.of("finished", finished, "failed", c.failed()));
                return 0;
            }
            // Released operations are never PENDING (a release makes them SENT): PENDING ones are the held-back ones.
            long waiting = c.byState().get(OperationState.PENDING);
            if (waiting <= 0) {
                return 0;
            }
            long allowed = waiting;
            if (r.batchSize() != null) {
                long inFlight = c.open() - c.byState().get(OperationState.PENDING);
                allowed = Math.min(allowed, r.batchSize() - inFlight);
            }
            if (r.ratePerMinute() != null) {
                long elapsedMs = Math.max(0, now.toEpochMilli() - r.createdAt().toEpochMilli());
                long quota = 1 + (long) Math.floor(r.ratePerMinute() * (elapsedMs / 60_000.0));
                allowed = Math.min(allowed, quota - c.released());
            }
            if (allowed <= 0) {
                return 0;
            }
            List<OperationRow> next = OperationStore.nextToRelease(h, tenant, rolloutId, (int) allowed);
            if (next.isEmpty()) {
                return 0;
            }
            OperationStore.markSent(h, tenant, OperationStore.ids(next), now);
            List<OperationStore.HistoryEntry> history = new ArrayList<>(next.size());
            for (OperationRow row : next) {
                history.add(new OperationStore.HistoryEntry(tenant, row.id(), "SENT", "rollout", null, now));
            }
            OperationStore.insertHistory(h, history);
            h.attach(OutboxDao.class).insertAll(next.stream().map(OperationService::outboxRow).toList());
            h.afterCommit(outboxWakeUp);
            return next.size();
        });
        afterChanges(changes);
        return released + changes.size();
    }

    // ---- bookkeeping of changes ----

    /** One committed change, for history, activity and listeners. */
    record Changed(String tenant, String operationId, String deviceId, String rolloutId, String kind, String code,
            OperationState status, JsonNode response, String source, Instant at) {

        static Changed of(OperationRow r, OperationState status, JsonNode response, String source, Instant at) {
            return new Changed(r.tenant(), r.id(), r.deviceId(), r.rolloutId(), r.kind(), r.code(), status, response,
                    source, at);
        }
    }

    /** History and activity rows of the changes, in the same transaction. */
    private static void recordChanges(Handle h, List<Changed> changes, String actor) {
        if (changes.isEmpty()) {
            return;
        }
        List<OperationStore.HistoryEntry> history = new ArrayList<>(changes.size());
        var activity = h.prepareBatch("INSERT INTO activities (tenant, actor, action, target_type, target_id, details) "
                + "VALUES (:tenant, :actor, 'operation.status', 'operation', :id, CAST(:details AS jsonb))");
        for (Changed c : changes) {
            history.add(new OperationStore.HistoryEntry(c.tenant(), c.operationId(), c.status().name(), c.source(),
                    Json.writeOrNull(c.response()), c.at()));
            ObjectNode details = Json.MAPPER.createObjectNode();
            details.put("status", c.status().name());
            details.put("deviceId", c.deviceId());
            details.put("source", c.source());
            if (c.rolloutId() != null) {
                details.put("rolloutId", c.rolloutId());
            }
            activity.bind("tenant", c.tenant()).bind("actor", actor != null ? actor : "device:" + c.deviceId())
                    .bind("id", c.operationId()).bind("details", details.toString()).add();
        }
        OperationStore.insertHistory(h, history);
        activity.execute();
    }

    private static void activity(Handle h, String tenant, String actor, String action, String targetType,
            String targetId, Map<String, ?> details) {
        h.createUpdate("INSERT INTO activities (tenant, actor, action, target_type, target_id, details) VALUES "
                        + "(:tenant, :actor, :action, :targetType, :targetId, CAST(:details AS jsonb))")
                .bind("tenant", tenant).bind("actor", actor).bind("action", action).bind("targetType", targetType)
                .bind("targetId", targetId).bind("details", Json.MAPPER.valueToTree(details).toString()).execute();
    }

    private void afterChanges(List<Changed> changes) {
        notifyListeners(changes);
        if (changes.stream().anyMatch(c -> c.rolloutId() != null && c.status().terminal())) {
            sweeperWakeUp.run();
        }
    }

    private void notifyListeners(List<Changed> changes) {
        if (listeners.isEmpty()) {
            return;
        }
        for (Changed c : changes) {
            OperationListener.Change change = new OperationListener.Change(c.tenant(), c.operationId(), c.deviceId(),
                    c.rolloutId(), OperationKind.valueOf(c.kind()), c.code(), c.status(), c.response());
            for (OperationListener l : listeners) {
                try {
                    l.changed(change);
                } catch (RuntimeException e) {
                    LOG.warn("An operation listener failed on {}: {}", c.operationId(), e.toString());
                }
            }
        }
    }
}
