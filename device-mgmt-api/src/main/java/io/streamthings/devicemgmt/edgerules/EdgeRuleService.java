package io.streamthings.devicemgmt.edgerules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamthings.devicemgmt.api.Page;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.core.ActivityLog;
import io.streamthings.devicemgmt.db.DeviceDao;
import io.streamthings.devicemgmt.db.GroupDao;
import io.streamthings.devicemgmt.errors.ApiException;
import io.streamthings.devicemgmt.operations.OperationKind;
import io.streamthings.devicemgmt.operations.OperationService;
import io.streamthings.devicemgmt.operations.OperationSpec;
import io.streamthings.devicemgmt.operations.OperationState;
import io.streamthings.devicemgmt.operations.Submitted;
import io.streamthings.rules.compile.CompiledRule;
import io.streamthings.rules.compile.RuleCompiler;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Edge rules: Siddhi apps kept by the server (validated by the server's own compiler and policy, so a rule moves
 * between server and device unchanged), deployed to edge runtimes as EDGE_RULE operations, followed through those
 * operations' states, and the runtimes' health from {@code edge.status}.
 */
public class EdgeRuleService {

    /** Enough for any real tenant; keeps one tenant from filling the table. */
    public static final int MAX_RULES_PER_TENANT = 1_000;

    private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern DESCRIPTION =
            Pattern.compile("@App:description\\(\\s*['\"](.*?)['\"]\\s*\\)", Pattern.CASE_INSENSITIVE);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "tenant, id, name, description, app, version, created_by, created_at, "
            + "updated_by, updated_at";

    private final Jdbi jdbi;
    private final RuleCompiler compiler;
    private final OperationService operations;
    private final EdgeStatusReader health;
    private final ActivityLog activities;
    private final Clock clock;
    private final long staleAfterMs;

    public EdgeRuleService(Jdbi jdbi, RuleCompiler compiler, OperationService operations, EdgeStatusReader health,
            ActivityLog activities, Clock clock, long staleAfterMs) {
        this.jdbi = jdbi;
        this.compiler = compiler;
        this.operations = operations;
        this.health = health;
        this.activities = activities;
        this.clock = clock;
        this.staleAfterMs = staleAfterMs;
    }

    /** A stored rule and whether this call created it. */
    public record Stored(EdgeRuleView rule, boolean created) {}

    /**
     * Stores a rule, or a new version of the rule with the app's {@code @App:name}; the same app, name and
     * description again change nothing. A refused app throws RuleRejectedException (400 with line and column).
     */
    public Stored store(Caller caller, String app, String name, String description) {
        if (app == null || app.isBlank()) {
            throw ApiException.badRequest("app: the Siddhi app is required (text/plain, or JSON with app)");
        }
        if (app.length() > 100_000) {
            throw new ApiException(413, "an edge rule's app may be at most 100,000 characters");
        }
        CompiledRule compiled = compiler.compile(app);
        String id = compiled.name();
        if (!RULE_ID.matcher(id).matches() || id.equals("runtimes")) {
            throw ApiException.badRequest("@App:name must be 1 to 64 of A-Z a-z 0-9 . _ - (it names the rule on the "
                    + "device) and not 'runtimes': " + id);
        }
        String shownName = name == null || name.isBlank() ? id : name.trim();
        String shownDescription = description != null ? description : description(app);
        return jdbi.inTransaction(h -> {
            Optional<EdgeRuleView> before = find(h, caller.tenant(), id);
            if (before.isEmpty() && h.createQuery("SELECT count(*) FROM edge_rules WHERE tenant = :tenant")
                    .bind("tenant", caller.tenant()).mapTo(Long.class).one() >= MAX_RULES_PER_TENANT) {
                throw ApiException.unprocessable("a tenant keeps at most " + MAX_RULES_PER_TENANT
                        + " edge rules");
            }
            Optional<EdgeRuleView> changed = h.createQuery("INSERT INTO edge_rules (tenant, id, name, description, "
                            + "app, version, created_by, updated_by) VALUES (:tenant, :id, :name, :description, :app, "
                            + "1, :by, :by) ON CONFLICT (tenant, id) DO UPDATE SET name = EXCLUDED.name, "
                            + "description = EXCLUDED.description, app = EXCLUDED.app, "
                            + "version = edge_rules.version + 1, updated_by = EXCLUDED.updated_by, updated_at = now() "
                            + "WHERE edge_rules.app IS DISTINCT FROM EXCLUDED.app "
                            + "OR edge_rules.name IS DISTINCT FROM EXCLUDED.name "
                            + "OR edge_rules.description IS DISTINCT FROM EXCLUDED.description RETURNING " + COLUMNS)
                    .bind("tenant", caller.tenant()).bind("id", id).bind("name", shownName)
                    .bind("description", shownDescription).bind("app", app).bind("by", caller.name())
                    .map((rs, ctx) -> view(rs)).findOne();
            if (changed.isEmpty()) {
                return new Stored(before.orElseThrow(), false);
            }
            EdgeRuleView rule = changed.get();
            activities.record(h, caller, rule.version() == 1 ? "edge-rule.create" : "edge-rule.update", "edge-rule",
                    id, Map.of("version", rule.version()));
            return new Stored(rule, before.isEmpty());
        });
    }

    public Optional<EdgeRuleView> find(Caller caller, String id) {
        return jdbi.withHandle(h -> find(h, caller.tenant(), id));
    }

    public Page<EdgeRuleView> list(Caller caller, int offset, int limit) {
        return jdbi.withHandle(h -> {
            List<EdgeRuleView> items = h.createQuery("SELECT " + COLUMNS + " FROM edge_rules WHERE tenant = :tenant "
                            + "ORDER BY id OFFSET :offset LIMIT :limit")
                    .bind("tenant", caller.tenant()).bind("offset", offset).bind("limit", limit)
                    .map((rs, ctx) -> view(rs)).list();
            long total = h.createQuery("SELECT count(*) FROM edge_rules WHERE tenant = :tenant")
                    .bind("tenant", caller.tenant()).mapTo(Long.class).one();
            return new Page<>(items, total, offset, limit);
        });
    }

    /**
     * Sends the rule's current version to the listed devices and every device of the listed groups, as EDGE_RULE
     * operations. The caller must be able to act on every device (404 naming the first that is not, and nothing is
     * sent) and see every group (404).
     */
    public DeploymentResult deploy(Caller caller, String id, DeploymentRequest request) {
        EdgeRuleView rule = find(caller, id).orElseThrow(() -> ApiException.notFound("edge rule " + id + " not found"));
        if (request == null) {
            throw ApiException.badRequest("the body must be {\"devices\": [...], \"groups\": [...]}");
        }
        String stateMode;
        try {
            stateMode = EdgeDeployments.stateMode(request.state());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        Set<String> targets = new LinkedHashSet<>(request.devices() == null ? List.of() : request.devices());
        List<String> groups = request.groups() == null ? List.of() : request.groups();
        jdbi.useHandle(h -> {
            GroupDao dao = h.attach(GroupDao.class);
            for (String group : groups) {
                dao.findVisible(caller.tenant(), group, caller.name(), caller.roleArray(), caller.isAdmin())
                        .orElseThrow(() -> ApiException.notFound("group " + group + " not found"));
                targets.addAll(h.createQuery("SELECT device_id FROM group_devices WHERE tenant = :tenant AND "
                                + "group_id = :id ORDER BY device_id")
                        .bind("tenant", caller.tenant()).bind("id", group).mapTo(String.class).list());
            }
        });
        if (targets.isEmpty()) {
            throw ApiException.unprocessable("no devices to deploy to: name devices, or groups that have some");
        }
        OperationSpec spec = OperationSpec.of(OperationKind.EDGE_RULE, id,
                EdgeDeployments.params(rule.version(), stateMode, rule.app()))
                .withTimeouts(request.timeoutSeconds(), null);
        Submitted submitted = operations.submit(caller, List.copyOf(targets), spec);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("version", rule.version());
        details.put("state", stateMode);
        details.put("devices", targets.size());
        if (!groups.isEmpty()) {
            details.put("groups", groups);
        }
        if (submitted.rolloutId() != null) {
            details.put("rolloutId", submitted.rolloutId());
        }
        jdbi.useHandle(h -> activities.record(h, caller, "edge-rule.deploy", "edge-rule", id, details));
        return new DeploymentResult(id, rule.version(), stateMode, submitted.rolloutId(), submitted.operationIds());
    }

    /** Per device the caller can see: the rule's latest deployment there and how it went. */
    public List<DeploymentView> deployments(Caller caller, String id) {
        find(caller, id).orElseThrow(() -> ApiException.notFound("edge rule " + id + " not found"));
        return jdbi.withHandle(h -> h.createQuery("SELECT o.device_id, o.id, o.status, o.params::text AS params, "
                        + "o.response::text AS response, o.updated_at, "
                        + "(SELECT (c.params->>'version')::bigint FROM operations c WHERE c.tenant = o.tenant "
                        + "AND c.kind = 'EDGE_RULE' AND c.code = o.code AND c.device_id = o.device_id "
                        + "AND c.status = 'COMPLETED' ORDER BY c.seq DESC LIMIT 1) AS running "
                        + "FROM (SELECT DISTINCT ON (device_id) * FROM operations WHERE tenant = :tenant "
                        + "AND kind = 'EDGE_RULE' AND code = :id ORDER BY device_id, seq DESC) o "
                        + "JOIN devices d ON d.tenant = o.tenant AND d.id = o.device_id WHERE " + DeviceDao.VISIBLE
                        + "ORDER BY o.device_id")
                .bind("tenant", caller.tenant()).bind("id", id).bind("caller", caller.name())
                .bind("roles", caller.roleArray()).bind("admin", caller.isAdmin())
                .map((rs, ctx) -> deployment(rs)).list());
    }

    /** The last health report of each edge runtime the caller can see, or of one device; stale ones marked. */
    public List<RuntimeView> runtimes(Caller caller, String deviceId) {
        List<EdgeStatusReader.Health> reports = deviceId == null ? health.ofTenant(caller.tenant())
                : health.of(caller.tenant(), deviceId).map(List::of).orElse(List.of());
        if (reports.isEmpty()) {
            return List.of();
        }
        Set<String> visible = new HashSet<>(jdbi.withHandle(h -> h.createQuery("SELECT d.id FROM devices d "
                        + "WHERE d.tenant = :tenant AND d.id = ANY(:ids) AND " + DeviceDao.VISIBLE)
                .bind("tenant", caller.tenant())
                .bind("ids", reports.stream().map(EdgeStatusReader.Health::deviceId).toArray(String[]::new))
                .bind("caller", caller.name()).bind("roles", caller.roleArray()).bind("admin", caller.isAdmin())
                .mapTo(String.class).list()));
        long now = clock.millis();
        List<RuntimeView> out = new ArrayList<>();
        for (EdgeStatusReader.Health r : reports) {
            if (visible.contains(r.deviceId())) {
                out.add(new RuntimeView(r.deviceId(), Instant.ofEpochMilli(r.receivedAt()),
                        EdgeDeployments.stale(now, r.receivedAt(), staleAfterMs), r.report()));
            }
        }
        out.sort(Comparator.comparing(RuntimeView::deviceId));
        return out;
    }

    private static Optional<EdgeRuleView> find(Handle h, String tenant, String id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM edge_rules WHERE tenant = :tenant AND id = :id")
                .bind("tenant", tenant).bind("id", id).map((rs, ctx) -> view(rs)).findOne();
    }

    private static EdgeRuleView view(ResultSet rs) throws SQLException {
        return new EdgeRuleView(rs.getString("id"), rs.getString("name"), rs.getString("description"),
                rs.getLong("version"), rs.getString("app"), rs.getString("created_by"), instant(rs, "created_at"),
                rs.getString("updated_by"), instant(rs, "updated_at"));
    }

    private static DeploymentView deployment(ResultSet rs) throws SQLException {
        OperationState status = OperationState.valueOf(rs.getString("status"));
        JsonNode params = tree(rs.getString("params"));
        JsonNode response = tree(rs.getString("response"));
        long running = rs.getLong("running");
        Long runningVersion = rs.wasNull() ? null : running;
        if (runningVersion == null && response != null && response.path("runningVersion").canConvertToLong()
                && response.path("runningVersion").asLong() > 0) {
            runningVersion = response.path("runningVersion").asLong();
        }
        return new DeploymentView(rs.getString("device_id"), params == null ? 0 : params.path("version").asLong(),
                params == null ? null : params.path("state").asText(null), EdgeDeployments.state(status),
                rs.getString("id"), status.name(), EdgeDeployments.reason(status, response), runningVersion,
                instant(rs, "updated_at"));
    }

    private static JsonNode tree(String text) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static String description(String app) {
        Matcher m = DESCRIPTION.matcher(app);
        return m.find() ? m.group(1) : null;
    }
}
