package io.streamthings.devicemgmt.operations;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** The SQL of operations, rollouts and their history; every method runs in the caller's handle (transaction). */
final class OperationStore {

    static final String COLUMNS = "o.tenant, o.id, o.seq, o.device_id, o.rollout_id, o.kind, o.code, "
            + "o.params::text AS params, o.one_way, o.idempotency_key, o.status, o.released, "
            + "o.response::text AS response, o.created_by, o.created_at, o.updated_at, o.sent_at, o.send_count, "
            + "o.delivered_at, o.finished_at, o.expires_at, o.timeout_ms, o.deadline_at ";

    private static final String ROLLOUT_COLUMNS = "tenant, id, kind, code, target_type, target_id, status, total, "
            + "batch_size, rate_per_minute, abort_percent, reason, created_by, created_at, finished_at ";

    private OperationStore() {}

    /** A new operation row to insert. */
    record NewOperation(String tenant, String id, String deviceId, String rolloutId, String kind, String code,
            String params, boolean oneWay, String idempotencyKey, String status, boolean released, String createdBy,
            Instant createdAt, Instant sentAt, int sendCount, Instant expiresAt, long timeoutMs) {}

    /** One change to record in the history. */
    record HistoryEntry(String tenant, String operationId, String status, String source, String response,
            Instant at) {}

    static void insertOperations(Handle h, List<NewOperation> ops) {
        PreparedBatch batch = h.prepareBatch("INSERT INTO operations (tenant, id, device_id, rollout_id, kind, code, "
                + "params, one_way, idempotency_key, status, released, created_by, created_at, updated_at, sent_at, "
                + "send_count, expires_at, timeout_ms, deadline_at) VALUES (:tenant, :id, :deviceId, :rolloutId, "
                + ":kind, :code, CAST(:params AS jsonb), :oneWay, :idempotencyKey, :status, :released, :createdBy, "
                + ":createdAt, :createdAt, :sentAt, :sendCount, :expiresAt, :timeoutMs, :expiresAt)");
        for (NewOperation op : ops) {
            // Bound by hand: bindMethods cannot reach the accessors of a record nested in a package-private class.
            batch.bind("tenant", op.tenant()).bind("id", op.id()).bind("deviceId", op.deviceId())
                    .bind("rolloutId", op.rolloutId()).bind("kind", op.kind()).bind("code", op.code())
                    .bind("params", op.params()).bind("oneWay", op.oneWay())
                    .bind("idempotencyKey", op.idempotencyKey()).bind("status", op.status())
                    .bind("released", op.released()).bind("createdBy", op.createdBy())
                    .bind("createdAt", op.createdAt()).bind("sentAt", op.sentAt()).bind("sendCount", op.sendCount())
                    .bind("expiresAt", op.expiresAt()).bind("timeoutMs", op.timeoutMs()).add();
        }
        if (!ops.isEmpty()) {
            batch.execute();
        }
    }

    static void insertHistory(Handle h, List<HistoryEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch("INSERT INTO operation_history (tenant, operation_id, status, source, "
                + "response, at) VALUES (:tenant, :operationId, :status, :source, CAST(:response AS jsonb), :at)");
        for (HistoryEntry e : entries) {
            batch.bind("tenant", e.tenant()).bind("operationId", e.operationId()).bind("status", e.status())
                    .bind("source", e.source()).bind("response", e.response()).bind("at", e.at()).add();
        }
        batch.execute();
    }

    static Optional<OperationRow> find(Handle h, String tenant, String id) {
        return h.createQuery("SELECT " + COLUMNS + "FROM operations o WHERE o.tenant = :tenant AND o.id = :id")
                .bind("tenant", tenant).bind("id", id).mapTo(OperationRow.class).findOne();
    }

    /** The rows of these ids of one tenant, locked, in id order (one lock order for every caller). */
    static List<OperationRow> lock(Handle h, String tenant, List<String> ids) {
        return h.createQuery("SELECT " + COLUMNS + "FROM operations o WHERE o.tenant = :tenant AND o.id = ANY(:ids) "
                        + "ORDER BY o.id FOR UPDATE")
                .bind("tenant", tenant).bind("ids", ids.toArray(String[]::new)).mapTo(OperationRow.class).list();
    }

    static List<OperationRow> ofDevice(Handle h, String tenant, String deviceId, String status, int offset,
            int limit) {
        return h.createQuery("SELECT " + COLUMNS + "FROM operations o WHERE o.tenant = :tenant "
                        + "AND o.device_id = :deviceId AND (CAST(:status AS varchar) IS NULL OR o.status = :status) "
                        + "ORDER BY o.seq DESC OFFSET :offset LIMIT :limit")
                .bind("tenant", tenant).bind("deviceId", deviceId).bind("status", status).bind("offset", offset)
                .bind("limit", limit).mapTo(OperationRow.class).list();
    }

    static long countOfDevice(Handle h, String tenant, String deviceId, String status) {
        return h.createQuery("SELECT count(*) FROM operations o WHERE o.tenant = :tenant AND o.device_id = :deviceId "
                        + "AND (CAST(:status AS varchar) IS NULL OR o.status = :status)")
                .bind("tenant", tenant).bind("deviceId", deviceId).bind("status", status).mapTo(Long.class).one();
    }

    static List<OperationRow> ofRollout(Handle h, String tenant, String rolloutId, String status, int offset,
            int limit) {
        return h.createQuery("SELECT " + COLUMNS + "FROM operations o WHERE o.tenant = :tenant "
                        + "AND o.rollout_id = :rolloutId AND (CAST(:status AS varchar) IS NULL OR o.status = :status) "
                        + "ORDER BY o.seq OFFSET :offset LIMIT :limit")
                .bind("tenant", tenant).bind("rolloutId", rolloutId).bind("status", status).bind("offset", offset)
                .bind("limit", limit).mapTo(OperationRow.class).list();
    }

    /** Released, undelivered operations of a device, oldest first, locked: what it should be sent (again). */
    static List<OperationRow> undeliveredOfDevice(Handle h, String tenant, String deviceId) {
        return bySeq(h.createQuery("SELECT " + COLUMNS + "FROM operations o WHERE o.tenant = :tenant "
                        + "AND o.device_id = :deviceId AND o.status = 'SENT' ORDER BY o.id FOR UPDATE")
                .bind("tenant", tenant).bind("deviceId", deviceId).mapTo(OperationRow.class).list());
    }

    /** Released, unfinished operations of a device, oldest first, locked: what it gets again when it comes back. */
    static List<OperationRow> unfinishedOfDevice(Handle h, String tenant, String deviceId) {
        return bySeq(h.createQuery("SELECT " + COLUMNS + "FROM operations o WHERE o.tenant = :tenant "
                        + "AND o.device_id = :deviceId AND o.status IN ('SENT', 'DELIVERED', 'IN_PROGRESS') "
                        + "ORDER BY o.id FOR UPDATE")
                .bind("tenant", tenant).bind("deviceId", deviceId).mapTo(OperationRow.class).list());
    }

    /**
     * Rows locked in id order (the one lock order of every statement here, so two transactions never wait on each
     * other in a cycle), handed back in creation order.
     */
    private static List<OperationRow> bySeq(List<OperationRow> rows) {
        List<OperationRow> sorted = new ArrayList<>(rows);
        sorted.sort(java.util.Comparator.comparingLong(OperationRow::seq));
        return sorted;
    }

    static List<OperationView.Change> history(Handle h, String tenant, String operationId) {
        return h.createQuery("SELECT status, at, source, response::text AS response FROM operation_history "
                        + "WHERE tenant = :tenant AND operation_id = :id ORDER BY id")
                .bind("tenant", tenant).bind("id", operationId)
                .map((rs, ctx) -> new Object[] {rs.getString("status"), rs.getTimestamp("at").toInstant(),
                        rs.getString("source"), rs.getString("response")})
                .list().stream()
                .map(r -> new OperationView.Change(OperationState.valueOf((String) r[0]), (Instant) r[1],
                        (String) r[2], Json.readOrNull((String) r[3])))
                .toList();
    }

    /** A change decided in Java, applied as is. */
    record Update(String tenant, String id, String status, String response, Instant now, Instant deliveredAt,
            Instant finishedAt, Instant deadlineAt) {}

    static void applyUpdates(Handle h, List<Update> updates) {
        if (updates.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch("UPDATE operations SET status = :status, "
                + "response = COALESCE(CAST(:response AS jsonb), response), updated_at = :now, "
                + "delivered_at = COALESCE(delivered_at, :deliveredAt), finished_at = :finishedAt, "
                + "deadline_at = :deadlineAt WHERE tenant = :tenant AND id = :id");
        for (Update u : updates) {
            batch.bind("tenant", u.tenant()).bind("id", u.id()).bind("status", u.status())
                    .bind("response", u.response()).bind("now", u.now()).bind("deliveredAt", u.deliveredAt())
                    .bind("finishedAt", u.finishedAt()).bind("deadlineAt", u.deadlineAt()).add();
        }
        batch.execute();
    }

    /** Marks operations sent now (again): released, SENT, one more send. */
    static void markSent(Handle h, String tenant, List<String> ids, Instant now) {
        h.createUpdate("UPDATE operations SET status = 'SENT', released = TRUE, sent_at = :now, updated_at = :now, "
                        + "send_count = send_count + 1 WHERE tenant = :tenant AND id = ANY(:ids)")
                .bind("tenant", tenant).bind("ids", ids.toArray(String[]::new)).bind("now", now).execute();
    }

    /**
     * Moves every open operation of {@code states} among the selected ones to {@code to}, returning them as they
     * are now.
     */
    static List<OperationRow> finishWhere(Handle h, String where, Map<String, Object> binds, String to, Instant now) {
        var update = h.createQuery("UPDATE operations o SET status = :to, finished_at = :now, updated_at = :now "
                + "WHERE " + where + " RETURNING " + COLUMNS);
        binds.forEach(update::bind);
        return update.bind("to", to).bind("now", now).mapTo(OperationRow.class).list();
    }

    // ---- rollouts ----

    static void insertRollout(Handle h, RolloutRow r) {
        h.createUpdate("INSERT INTO operation_rollouts (" + ROLLOUT_COLUMNS + ") VALUES (:tenant, :id, :kind, :code, "
                        + ":targetType, :targetId, :status, :total, :batchSize, :ratePerMinute, :abortPercent, :reason, "
                        + ":createdBy, :createdAt, :finishedAt)")
                .bind("tenant", r.tenant()).bind("id", r.id()).bind("kind", r.kind()).bind("code", r.code())
                .bind("targetType", r.targetType()).bind("targetId", r.targetId()).bind("status", r.status())
                .bind("total", r.total()).bind("batchSize", r.batchSize()).bind("ratePerMinute", r.ratePerMinute())
                .bind("abortPercent", r.abortPercent()).bind("reason", r.reason()).bind("createdBy", r.createdBy())
                .bind("createdAt", r.createdAt()).bind("finishedAt", r.finishedAt())
                .execute();
    }

    static Optional<RolloutRow> findRollout(Handle h, String tenant, String id) {
        return h.createQuery("SELECT " + ROLLOUT_COLUMNS + "FROM operation_rollouts WHERE tenant = :tenant AND id = :id")
                .bind("tenant", tenant).bind("id", id).mapTo(RolloutRow.class).findOne();
    }

    static Optional<RolloutRow> lockRollout(Handle h, String tenant, String id) {
        return h.createQuery("SELECT " + ROLLOUT_COLUMNS + "FROM operation_rollouts WHERE tenant = :tenant "
                        + "AND id = :id FOR UPDATE")
                .bind("tenant", tenant).bind("id", id).mapTo(RolloutRow.class).findOne();
    }

    static List<RolloutRow> runningRollouts(Handle h, int limit) {
        return h.createQuery("SELECT " + ROLLOUT_COLUMNS + "FROM operation_rollouts WHERE status = 'RUNNING' "
                        + "ORDER BY created_at LIMIT :limit")
                .bind("limit", limit).mapTo(RolloutRow.class).list();
    }

    static List<RolloutRow> rollouts(Handle h, String tenant, String caller, boolean admin, int offset, int limit) {
        return h.createQuery("SELECT " + ROLLOUT_COLUMNS + "FROM operation_rollouts WHERE tenant = :tenant "
                        + "AND (:admin OR created_by = :caller) ORDER BY created_at DESC, id OFFSET :offset LIMIT :limit")
                .bind("tenant", tenant).bind("caller", caller).bind("admin", admin).bind("offset", offset)
                .bind("limit", limit).mapTo(RolloutRow.class).list();
    }

    static long countRollouts(Handle h, String tenant, String caller, boolean admin) {
        return h.createQuery("SELECT count(*) FROM operation_rollouts WHERE tenant = :tenant "
                        + "AND (:admin OR created_by = :caller)")
                .bind("tenant", tenant).bind("caller", caller).bind("admin", admin).mapTo(Long.class).one();
    }

    static void finishRollout(Handle h, String tenant, String id, String status, String reason, Instant now) {
        h.createUpdate("UPDATE operation_rollouts SET status = :status, reason = COALESCE(:reason, reason), "
                        + "finished_at = :now WHERE tenant = :tenant AND id = :id AND status = 'RUNNING'")
                .bind("tenant", tenant).bind("id", id).bind("status", status).bind("reason", reason).bind("now", now)
                .execute();
    }

    /** Counts per state of a rollout's operations, every state present, and how many were released. */
    record Counts(Map<OperationState, Long> byState, long released) {

        long finished() {
            return byState.entrySet().stream().filter(e -> e.getKey().terminal()).mapToLong(Map.Entry::getValue)
                    .sum();
        }

        /** Finished by the device or by its deadlines: final, but not CANCELLED or SUPERSEDED by the platform. */
        long attempted() {
            return byState.entrySet().stream()
                    .filter(e -> e.getKey().terminal() && e.getKey() != OperationState.CANCELLED
                            && e.getKey() != OperationState.SUPERSEDED)
                    .mapToLong(Map.Entry::getValue).sum();
        }

        long failed() {
            return byState.entrySet().stream().filter(e -> e.getKey().failed()).mapToLong(Map.Entry::getValue).sum();
        }

        long open() {
            return byState.entrySet().stream().filter(e -> !e.getKey().terminal()).mapToLong(Map.Entry::getValue)
                    .sum();
        }
    }

    static Counts counts(Handle h, String tenant, String rolloutId) {
        Map<OperationState, Long> byState = new EnumMap<>(OperationState.class);
        for (OperationState s : OperationState.values()) {
            byState.put(s, 0L);
        }
        long[] released = {0};
        h.createQuery("SELECT status, released, count(*) AS n FROM operations WHERE tenant = :tenant "
                        + "AND rollout_id = :id GROUP BY status, released")
                .bind("tenant", tenant).bind("id", rolloutId)
                .map((rs, ctx) -> {
                    OperationState s = OperationState.valueOf(rs.getString("status"));
                    long n = rs.getLong("n");
                    byState.merge(s, n, Long::sum);
                    if (rs.getBoolean("released")) {
                        released[0] += n;
                    }
                    return null;
                })
                .list();
        return new Counts(byState, released[0]);
    }

    /** The next {@code n} held-back operations of a rollout, in creation order, locked. */
    static List<OperationRow> nextToRelease(Handle h, String tenant, String rolloutId, int n) {
        return h.createQuery("SELECT " + COLUMNS + "FROM operations o WHERE o.tenant = :tenant "
                        + "AND o.rollout_id = :id AND o.status = 'PENDING' AND NOT o.released ORDER BY o.seq "
                        + "LIMIT :n FOR UPDATE SKIP LOCKED")
                .bind("tenant", tenant).bind("id", rolloutId).bind("n", n).mapTo(OperationRow.class).list();
    }

    static List<String> ids(List<OperationRow> rows) {
        List<String> ids = new ArrayList<>(rows.size());
        for (OperationRow r : rows) {
            ids.add(r.id());
        }
        return ids;
    }
}
