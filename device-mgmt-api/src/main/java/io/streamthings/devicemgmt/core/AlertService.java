package io.streamthings.devicemgmt.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamthings.common.alert.AlertBounds;
import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.DeadLetter;
import io.streamthings.common.telemetry.TelemetryCodec;
import io.streamthings.devicemgmt.api.AlertView;
import io.streamthings.devicemgmt.api.Page;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.db.AlertDao;
import io.streamthings.devicemgmt.db.AlertFiring;
import io.streamthings.devicemgmt.db.AlertRow;
import io.streamthings.devicemgmt.db.OutboxDao;
import io.streamthings.devicemgmt.db.OutboxRow;
import io.streamthings.devicemgmt.errors.ApiException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/** Alerts: folding firings into one open alert per rule and device, listing, acknowledging and clearing. */
public class AlertService {

    private static final Set<String> STATUSES = Set.of("OPEN", "ACKNOWLEDGED", "CLEARED");
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final TelemetryCodec DEAD_LETTERS = new TelemetryCodec();

    private final Jdbi jdbi;
    private final ObjectMapper json;
    private final ActivityLog activities;
    private final Clock clock;

    public AlertService(Jdbi jdbi, ObjectMapper json, ActivityLog activities, Clock clock) {
        this.jdbi = jdbi;
        this.json = json;
        this.activities = activities;
        this.clock = clock;
    }

    /** Folds firings in, in one transaction: new alerts, or one more firing of the open ones. */
    public void fold(List<AlertEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        List<AlertFiring> firings = events.stream().map(this::firing).toList();
        jdbi.useTransaction(h -> h.attach(AlertDao.class).fold(firings));
    }

    /**
     * Folds firings in, setting aside those the database refuses: the whole batch in one transaction, and when the
     * database refuses its data (not when it is down), each firing in a transaction of its own, so that one poison
     * alert cannot hold back every tenant's. The refused ones, and the dead letters given, go to {@code alerts.dlq}
     * through the outbox, in the same transaction as the firings they come with.
     *
     * @param incoming the alerts read, each with its bytes as read
     * @param deadLetters alerts already refused (unreadable, beyond their bounds)
     * @return the dead letters written, those given and those the database refused
     * @throws RuntimeException when the database is unreachable or fails for another reason than the data: the
     *     caller tries the batch again later
     */
    public List<DeadLetter> foldOrSetAside(List<Incoming> incoming, List<DeadLetter> deadLetters) {
        List<DeadLetter> refused = new ArrayList<>(deadLetters);
        try {
            jdbi.useTransaction(h -> {
                if (!incoming.isEmpty()) {
                    h.attach(AlertDao.class).fold(incoming.stream().map(i -> firing(i.alert())).toList());
                }
                outbox(h, refused);
            });
            return refused;
        } catch (RuntimeException e) {
            if (dataError(e) == null) {
                throw e;
            }
        }
        for (Incoming i : incoming) {
            try {
                jdbi.useTransaction(h -> h.attach(AlertDao.class).fold(List.of(firing(i.alert()))));
            } catch (RuntimeException e) {
                String state = dataError(e);
                if (state == null) {
                    throw e;
                }
                refused.add(AlertBounds.deadLetter("the alert store refused it (SQL state " + state + "): "
                        + rootMessage(e), "$", i.raw(), clock.millis(), DEAD_LETTER_SOURCE, i.alert().tenant(),
                        i.alert().deviceId()));
            }
        }
        jdbi.useTransaction(h -> outbox(h, refused));
        return refused;
    }

    /** An alert as read from Kafka, with its bytes for a dead letter. */
    public record Incoming(AlertEvent alert, byte[] raw) {}

    /** {@code source} of the dead letters this service writes. */
    public static final String DEAD_LETTER_SOURCE = "device-mgmt";

    private void outbox(org.jdbi.v3.core.Handle h, List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return;
        }
        h.attach(OutboxDao.class).insertAll(letters.stream().map(d -> new OutboxRow(0, Topics.ALERTS_DLQ.name(),
                d.tenant() == null ? "unknown" : d.tenant(), DEAD_LETTERS.encodeDeadLetter(d))).toList());
    }

    /**
     * The SQL state when the database refused the data itself (class 22 data exception, 23 integrity, 54 a limit
     * such as an index row too large): trying it again cannot succeed. Null for anything else (connection lost,
     * a timeout), which a retry may cure.
     */
    static String dataError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException()) {
                    String state = s.getSQLState();
                    if (state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"))) {
                        return state;
                    }
                }
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            root = t;
            if (t instanceof SQLException sql && sql.getNextException() != null) {
                root = sql.getNextException();
                break;
            }
        }
        String m = String.valueOf(root.getMessage());
        return m.length() > 500 ? m.substring(0, 500) : m;
    }

    private AlertFiring firing(AlertEvent e) {
        return new AlertFiring(e.tenant(), e.rule(), e.deviceId(), e.dedupKey(), e.source(), e.severity(),
                e.message(), e.ts(), Instant.ofEpochMilli(e.firedAt()), write(e.values()));
    }

    /** The caller's alerts, newest first, filtered. */
    public Page<AlertView> search(Caller caller, String deviceId, String severity, String status, String rule,
            String from, String to, int offset, int limit) {
        String sev = severity == null ? null : severity.toLowerCase(Locale.ROOT);
        if (sev != null && !AlertEvent.SEVERITIES.contains(sev)) {
            throw ApiException.badRequest("severity: expected one of " + AlertEvent.SEVERITIES + ", got " + severity);
        }
        String st = status == null ? null : status.toUpperCase(Locale.ROOT);
        if (st != null && !STATUSES.contains(st)) {
            throw ApiException.badRequest("status: expected one of OPEN, ACKNOWLEDGED, CLEARED, got " + status);
        }
        Instant now = clock.instant();
        Long fromMs = from == null ? null : TimeParam.parse(from, now).toEpochMilli();
        Long toMs = to == null ? null : TimeParam.parse(to, now).toEpochMilli();
        AlertDao dao = jdbi.onDemand(AlertDao.class);
        List<AlertView> items = dao.search(caller.tenant(), caller.name(), caller.roleArray(), caller.isAdmin(),
                deviceId, sev, st, rule, fromMs, toMs, offset, limit).stream().map(this::view).toList();
        long total = dao.count(caller.tenant(), caller.name(), caller.roleArray(), caller.isAdmin(), deviceId, sev,
                st, rule, fromMs, toMs);
        return new Page<>(items, total, offset, limit);
    }

    public AlertView find(Caller caller, long id) {
        return jdbi.onDemand(AlertDao.class)
                .findVisible(caller.tenant(), id, caller.name(), caller.roleArray(), caller.isAdmin())
                .map(this::view)
                .orElseThrow(() -> ApiException.notFound("alert " + id + " not found"));
    }

    /** OPEN to ACKNOWLEDGED; acknowledging an acknowledged alert changes nothing; a cleared one is a conflict. */
    public AlertView acknowledge(Caller caller, long id) {
        return jdbi.inTransaction(h -> {
            AlertDao dao = h.attach(AlertDao.class);
            AlertRow row = dao.findVisible(caller.tenant(), id, caller.name(), caller.roleArray(), caller.isAdmin())
                    .orElseThrow(() -> ApiException.notFound("alert " + id + " not found"));
            if ("CLEARED".equals(row.status())) {
                throw ApiException.conflict("alert " + id + " is cleared");
            }
            if (dao.acknowledge(caller.tenant(), id, caller.name()) > 0) {
                activities.record(h, caller, "alert.acknowledge", "alert", Long.toString(id), Map.of());
            }
            return view(dao.findVisible(caller.tenant(), id, caller.name(), caller.roleArray(), caller.isAdmin())
                    .orElseThrow());
        });
    }

    /** Closes an alert; the next firing of its rule on its device opens a new one. */
    public AlertView clear(Caller caller, long id) {
        return jdbi.inTransaction(h -> {
            AlertDao dao = h.attach(AlertDao.class);
            dao.findVisible(caller.tenant(), id, caller.name(), caller.roleArray(), caller.isAdmin())
                    .orElseThrow(() -> ApiException.notFound("alert " + id + " not found"));
            if (dao.clear(caller.tenant(), id, caller.name()) > 0) {
                activities.record(h, caller, "alert.clear", "alert", Long.toString(id), Map.of());
            }
            return view(dao.findVisible(caller.tenant(), id, caller.name(), caller.roleArray(), caller.isAdmin())
                    .orElseThrow());
        });
    }

    private AlertView view(AlertRow r) {
        return new AlertView(r.id(), r.rule(), r.deviceId(), r.source(), r.severity(), r.message(), r.status(),
                r.fireCount(), r.firstTs(), r.lastTs(), r.firstFiredAt(), r.lastFiredAt(), read(r.alertValues()),
                r.acknowledgedBy(), r.acknowledgedAt(), r.clearedBy(), r.clearedAt());
    }

    private String write(Map<String, Object> values) {
        try {
            return json.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("alert values are plain values", e);
        }
    }

    private Map<String, Object> read(String values) {
        try {
            return values == null ? Map.of() : json.readValue(values, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("alert values in the database are JSON", e);
        }
    }
}
