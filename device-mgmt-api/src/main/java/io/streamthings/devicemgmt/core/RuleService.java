package io.streamthings.devicemgmt.core;

import io.streamthings.common.kafka.Topics;
import io.streamthings.common.telemetry.StampedTelemetry;
import io.streamthings.common.telemetry.TelemetryRecord;
import io.streamthings.devicemgmt.api.AlertView;
import io.streamthings.devicemgmt.api.Page;
import io.streamthings.devicemgmt.api.RuleDryRunRequest;
import io.streamthings.devicemgmt.api.RuleDryRunRequest.SampleEvent;
import io.streamthings.devicemgmt.api.RuleStats;
import io.streamthings.devicemgmt.api.RuleValidation;
import io.streamthings.devicemgmt.api.RuleView;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.db.OutboxDao;
import io.streamthings.devicemgmt.db.RuleDao;
import io.streamthings.devicemgmt.db.RuleRow;
import io.streamthings.devicemgmt.errors.ApiException;
import io.streamthings.devicemgmt.kafka.RuleStatusReader;
import io.streamthings.rules.catalog.CatalogCodec;
import io.streamthings.rules.catalog.RuleDefinition;
import io.streamthings.rules.catalog.RuleStatus;
import io.streamthings.rules.compile.CompiledRule;
import io.streamthings.rules.compile.RuleCompiler;
import io.streamthings.rules.engine.EmittedAlert;
import io.streamthings.rules.sandbox.DryRunResult;
import io.streamthings.rules.sandbox.DryRunDeadlineException;
import io.streamthings.rules.sandbox.RuleSandbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Server-side rule apps: validation and dry runs in a sandbox, deployment (a new version replaces the running one),
 * listing with how each runs, and removal. A deployment is stored and announced on the compacted {@code rules} topic
 * in one transaction, through the outbox; the rules service picks it up without a restart.
 */
public class RuleService {

    /** Enough for any real tenant; keeps one tenant from filling the rules service. */
    public static final int MAX_RULES_PER_TENANT = 100;

    private static final Pattern DESCRIPTION =
            Pattern.compile("@App:description\\(\\s*['\"](.*?)['\"]\\s*\\)", Pattern.CASE_INSENSITIVE);

    private final Jdbi jdbi;
    private final RuleCompiler compiler;
    private final RuleSandbox sandbox;
    private final RuleStatusReader statuses;
    private final ActivityLog activities;
    private final Runnable afterCommit;
    private final Clock clock;

    /** @param dryRunDeadline how long a dry run may take before it is stopped and answered 422 */
    public RuleService(Jdbi jdbi, RuleCompiler compiler, RuleStatusReader statuses, ActivityLog activities,
            Runnable afterCommit, Clock clock, Duration dryRunDeadline) {
        this.jdbi = jdbi;
        this.compiler = compiler;
        this.sandbox = new RuleSandbox(compiler, dryRunDeadline);
        this.statuses = statuses;
        this.activities = activities;
        this.afterCommit = afterCommit;
        this.clock = clock;
    }

    /** Compiles an app; throws RuleRejectedException (400 with line and column) when it is refused. */
    public RuleValidation validate(String app) {
        CompiledRule rule = compiler.compile(requireApp(app));
        return validation(rule, null);
    }

    /** Compiles an app and runs the sample events through it in a sandbox. */
    public RuleValidation dryRun(Caller caller, RuleDryRunRequest request) {
        CompiledRule rule = compiler.compile(requireApp(request.app()));
        List<StampedTelemetry> events = samples(caller.tenant(), request.events() == null ? List.of()
                : request.events());
        DryRunResult result;
        try {
            result = sandbox.dryRun(request.app(), caller.tenant(), events);
        } catch (DryRunDeadlineException e) {
            throw ApiException.unprocessable(e.getMessage());
        }
        List<AlertView.Fired> fired = result.alerts().stream().map(RuleService::fired).toList();
        return validation(rule, new RuleValidation.DryRun(result.eventsIn(), result.eventsSkipped(), fired,
                result.errors()));
    }

    /** Deploys an app, or a new version of it; answers the rule and whether it is new. */
    public Deployed deploy(Caller caller, String app) {
        CompiledRule rule = compiler.compile(requireApp(app));
        String description = description(app);
        RuleRow row = jdbi.inTransaction(h -> {
            RuleDao rules = h.attach(RuleDao.class);
            boolean exists = rules.find(caller.tenant(), rule.name()).isPresent();
            if (!exists && rules.count(caller.tenant()) >= MAX_RULES_PER_TENANT) {
                throw ApiException.unprocessable("a tenant runs at most " + MAX_RULES_PER_TENANT
                        + " rules; delete one first");
            }
            RuleRow stored = rules.upsert(caller.tenant(), rule.name(), app, description, caller.name());
            RuleDefinition definition = new RuleDefinition(stored.tenant(), stored.name(), stored.version(),
                    stored.app(), clock.millis());
            h.attach(OutboxDao.class).insert(Topics.RULES.name(), definition.key(), CatalogCodec.encode(definition));
            activities.record(h, caller, stored.version() == 1 ? "rule.create" : "rule.update", "rule",
                    stored.name(), Map.of("version", stored.version()));
            h.afterCommit(afterCommit);
            return stored;
        });
        return new Deployed(view(row), row.version() == 1);
    }

    public Optional<RuleView> find(Caller caller, String name) {
        return jdbi.onDemand(RuleDao.class).find(caller.tenant(), name).map(this::view);
    }

    public Page<RuleView> list(Caller caller, int offset, int limit) {
        RuleDao rules = jdbi.onDemand(RuleDao.class);
        List<RuleView> items = rules.list(caller.tenant(), offset, limit).stream().map(this::view).toList();
        return new Page<>(items, rules.count(caller.tenant()), offset, limit);
    }

    /** Undeploys and deletes a rule. */
    public void delete(Caller caller, String name) {
        jdbi.useTransaction(h -> {
            if (h.attach(RuleDao.class).delete(caller.tenant(), name) == 0) {
                throw ApiException.notFound("rule " + name + " not found");
            }
            h.attach(OutboxDao.class).insert(Topics.RULES.name(), RuleDefinition.key(caller.tenant(), name), null);
            activities.record(h, caller, "rule.delete", "rule", name, Map.of());
            h.afterCommit(afterCommit);
        });
    }

    /** A deployed rule and whether this deployment created it. */
    public record Deployed(RuleView rule, boolean created) {}

    private RuleView view(RuleRow row) {
        return new RuleView(row.name(), row.version(), row.description(), row.app(), row.createdBy(),
                row.createdAt(), row.updatedBy(), row.updatedAt(), stats(row));
    }

    /** Sums the instances' reports of the current version; older versions' reports mean it is still PENDING. */
    private RuleStats stats(RuleRow row) {
        Map<String, RuleStatus> reports = statuses == null ? Map.of() : statuses.reports(row.tenant(), row.name());
        if (reports.isEmpty()) {
            return null;
        }
        long in = 0;
        long skipped = 0;
        long out = 0;
        long errors = 0;
        Long lastFired = null;
        String lastError = null;
        long reportedAt = 0;
        int running = Integer.MAX_VALUE;
        boolean failed = false;
        for (RuleStatus s : reports.values()) {
            in += s.eventsIn();
            skipped += s.eventsSkipped();
            out += s.eventsOut();
            errors += s.errors();
            if (s.lastFiredAt() != null && (lastFired == null || s.lastFiredAt() > lastFired)) {
                lastFired = s.lastFiredAt();
            }
            if (s.error() != null) {
                lastError = s.error();
            }
            failed |= RuleStatus.FAILED.equals(s.state());
            reportedAt = Math.max(reportedAt, s.reportedAt());
            running = Math.min(running, s.version());
        }
        String state = failed ? RuleStatus.FAILED : running < row.version() ? "PENDING" : RuleStatus.RUNNING;
        return new RuleStats(state, running, reports.size(), in, skipped, out, errors,
                lastFired == null ? null : Instant.ofEpochMilli(lastFired), lastError,
                Instant.ofEpochMilli(reportedAt));
    }

    private static RuleValidation validation(CompiledRule rule, RuleValidation.DryRun dryRun) {
        List<RuleValidation.Input> inputs = rule.inputAttributes().stream()
                .map(a -> new RuleValidation.Input(a.name(), a.kind().name())).toList();
        return new RuleValidation(true, rule.name(), inputs, rule.alertAttributes(), dryRun);
    }

    private static AlertView.Fired fired(EmittedAlert a) {
        return new AlertView.Fired(a.rule(), a.deviceId(), a.severity(), a.message(), a.ts(), a.values());
    }

    private List<StampedTelemetry> samples(String tenant, List<SampleEvent> events) {
        List<StampedTelemetry> out = new ArrayList<>(events.size());
        long ts = clock.millis();
        for (int i = 0; i < events.size(); i++) {
            SampleEvent e = events.get(i);
            if (e == null) {
                throw ApiException.badRequest("events[" + i + "]: must be an object");
            }
            ts = e.ts() != null ? e.ts() : ts;
            try {
                TelemetryRecord record = new TelemetryRecord(ts, e.metrics() == null ? Map.of() : e.metrics(),
                        e.tags() == null ? Map.of() : e.tags());
                out.add(new StampedTelemetry(tenant, e.deviceType() == null ? "sample" : e.deviceType(),
                        e.deviceId(), ts, record));
            } catch (RuntimeException ex) {
                throw ApiException.badRequest("events[" + i + "]: " + ex.getMessage());
            }
        }
        return out;
    }

    private static String requireApp(String app) {
        if (app == null || app.isBlank()) {
            throw ApiException.badRequest("the body must be a Siddhi app (Content-Type: text/plain)");
        }
        if (app.length() > 100_000) {
            throw new ApiException(413, "a rule app may be at most 100,000 characters");
        }
        return app;
    }

    private static String description(String app) {
        Matcher m = DESCRIPTION.matcher(app);
        return m.find() ? m.group(1) : null;
    }
}
