package io.streamthings.devicemgmt.policies;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamthings.common.alert.AlertCodec;
import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.kafka.Topics;
import io.streamthings.devicemgmt.api.Feature;
import io.streamthings.devicemgmt.api.Page;
import io.streamthings.devicemgmt.auth.Caller;
import io.streamthings.devicemgmt.core.ActivityLog;
import io.streamthings.devicemgmt.core.DeviceChangeListener;
import io.streamthings.devicemgmt.db.DeviceDao;
import io.streamthings.devicemgmt.db.DeviceTypeDao;
import io.streamthings.devicemgmt.db.DeviceTypeRow;
import io.streamthings.devicemgmt.db.GroupDao;
import io.streamthings.devicemgmt.db.OutboxDao;
import io.streamthings.devicemgmt.db.RoleDao;
import io.streamthings.devicemgmt.errors.ApiException;
import io.streamthings.devicemgmt.operations.ParamsValidator;
import io.streamthings.devicemgmt.policies.PolicyMerge.Applicable;
import io.streamthings.devicemgmt.policies.PolicyMerge.Chosen;
import io.streamthings.devicemgmt.policies.PolicyMerge.Conflict;
import io.streamthings.devicemgmt.policies.PolicyMerge.Result;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Policies: their storage and checks, the effective policy of each device, pushing it when it changes, and the
 * compliance devices report. Every change and every push happens in one transaction with its audit record and its
 * outbox rows, so what is stored, logged and sent never disagree.
 */
public class PolicyService implements DeviceChangeListener {

    /** Devices named in one audit record at most; the count is always there. */
    private static final int AUDIT_IDS = 100;
    /** Re-pushes of one version to one device after non-compliance, at most (ENFORCE). */
    static final int MAX_ENFORCEMENTS = 3;
    private static final TypeReference<List<Feature>> FEATURES = new TypeReference<>() {};
    private static final TypeReference<Map<String, JsonNode>> CONFIGURATION = new TypeReference<>() {};

    private final Jdbi jdbi;
    private final ObjectMapper json;
    private final ActivityLog activities;
    private final PolicyPusher pusher;
    private final Runnable afterOutbox;
    private final Clock clock;
    /** The operations' validator: policies and operations check params against feature schemas alike. */
    private final ParamsValidator schemas = new ParamsValidator();

    /** @param afterOutbox run after a commit that queued outbox rows of this service's own (alerts) */
    public PolicyService(Jdbi jdbi, ObjectMapper json, ActivityLog activities, PolicyPusher pusher,
            Runnable afterOutbox, Clock clock) {
        this.jdbi = jdbi;
        this.json = json;
        this.activities = activities;
        this.pusher = pusher;
        this.afterOutbox = afterOutbox;
        this.clock = clock;
    }

    // ---- policies ----

    public PolicyView create(Caller caller, PolicySpec spec) {
        String id = spec.id() != null ? spec.id() : UUID.randomUUID().toString();
        return jdbi.inTransaction(h -> {
            PolicyDao dao = h.attach(PolicyDao.class);
            validate(h, caller, spec);
            dao.lockTypes(caller.tenant(), new String[] {spec.deviceType()});
            if (dao.exists(caller.tenant(), id, spec.name())) {
                throw ApiException.conflict("a policy with id " + id + " or name " + spec.name() + " already exists");
            }
            List<DeviceContextRow> devices = dao.contextsOfTypes(caller.tenant(), new String[] {spec.deviceType()});
            if (dao.insert(row(caller, id, spec)) == 0) {
                throw ApiException.conflict("a policy with id " + id + " or name " + spec.name() + " already exists");
            }
            dao.assign(caller.tenant(), assignmentRows(id, spec.assignmentsOrNone()));
            int pushed = reapply(h, caller, id, devices, Set.of());
            activities.record(h, caller, "policy.create", "policy", id, audit(spec, pushed));
            return view(h, caller.tenant(), id);
        });
    }

    public PolicyView get(Caller caller, String id) {
        return jdbi.inTransaction(h -> view(h, caller.tenant(), id));
    }

    public Page<PolicyView> list(Caller caller, String deviceType, int offset, int limit) {
        return jdbi.inTransaction(h -> {
            PolicyDao dao = h.attach(PolicyDao.class);
            List<PolicyRow> rows = dao.list(caller.tenant(), deviceType, offset, limit);
            Map<String, List<AssignmentRow>> assignments = assignmentsByPolicy(dao, caller.tenant(),
                    rows.stream().map(PolicyRow::id).toList());
            List<PolicyView> items = rows.stream()
                    .map(r -> view(r, assignments.getOrDefault(r.id(), List.of()))).toList();
            return new Page<>(items, dao.count(caller.tenant(), deviceType), offset, limit);
        });
    }

    /** Replaces a policy (features, priority, action, assignments...) and pushes to every device whose policy changed. */
    public PolicyView replace(Caller caller, String id, PolicySpec spec) {
        if (spec.id() != null && !spec.id().equals(id)) {
            throw ApiException.badRequest("id: a policy's id cannot change");
        }
        return jdbi.inTransaction(h -> {
            PolicyDao dao = h.attach(PolicyDao.class);
            PolicyRow old = dao.findForUpdate(caller.tenant(), id).orElseThrow(() -> notFound(id));
            validate(h, caller, spec);
            dao.lockTypes(caller.tenant(), new String[] {old.deviceType(), spec.deviceType()});
            if (dao.nameTakenByAnother(caller.tenant(), id, spec.name())) {
                throw ApiException.conflict("a policy named " + spec.name() + " already exists");
            }
            List<DeviceContextRow> devices = dao.contextsOfTypes(caller.tenant(),
                    new LinkedHashSet<>(List.of(old.deviceType(), spec.deviceType())).toArray(String[]::new));
            Set<String> before = plan(h, caller.tenant(), devices).reachedBy(id);
            dao.update(row(caller, id, spec));
            dao.clearAssignments(caller.tenant(), id);
            dao.assign(caller.tenant(), assignmentRows(id, spec.assignmentsOrNone()));
            int pushed = reapply(h, caller, id, devices, before);
            activities.record(h, caller, "policy.update", "policy", id, audit(spec, pushed));
            return view(h, caller.tenant(), id);
        });
    }

    /** Deletes a policy; the devices it reached get their effective policy without it. */
    public void delete(Caller caller, String id) {
        jdbi.useTransaction(h -> {
            PolicyDao dao = h.attach(PolicyDao.class);
            PolicyRow old = dao.findForUpdate(caller.tenant(), id).orElseThrow(() -> notFound(id));
            dao.lockTypes(caller.tenant(), new String[] {old.deviceType()});
            List<DeviceContextRow> devices = dao.contextsOfTypes(caller.tenant(), new String[] {old.deviceType()});
            Set<String> before = plan(h, caller.tenant(), devices).reachedBy(id);
            dao.delete(caller.tenant(), id);
            int pushed = reapply(h, caller, id, devices, before);
            activities.record(h, caller, "policy.delete", "policy", id,
                    Map.of("name", old.name(), "pushedTo", pushed));
        });
    }

    // ---- effective policy and compliance ----

    /** The effective policy last pushed to a device the caller may act on, with its compliance per feature. */
    public EffectivePolicyView effective(Caller caller, String deviceId) {
        return jdbi.inTransaction(h -> {
            var device = h.attach(DeviceDao.class)
                    .findVisible(caller.tenant(), deviceId, caller.name(), caller.roleArray(), caller.isAdmin())
                    .orElseThrow(() -> ApiException.notFound("device " + deviceId + " not found"));
            return effectiveView(h, caller.tenant(), deviceId, device.type());
        });
    }

    /** A device's own effective policy (the device authenticated itself). */
    public EffectivePolicyView ownEffective(String tenant, String deviceId) {
        return jdbi.inTransaction(h -> effectiveView(h, tenant, deviceId,
                h.attach(DeviceDao.class).find(tenant, deviceId).orElseThrow().type()));
    }

    /** Counts of the devices taking a feature from the policy by compliance, and the non-compliant ones. */
    public ComplianceSummary compliance(Caller caller, String policyId) {
        return jdbi.inTransaction(h -> {
            PolicyDao dao = h.attach(PolicyDao.class);
            dao.find(caller.tenant(), policyId).orElseThrow(() -> notFound(policyId));
            Map<String, List<ComplianceRow>> byDevice = new TreeMap<>();
            for (ComplianceRow r : dao.complianceOfPolicy(caller.tenant(), policyId, caller.name(),
                    caller.roleArray(), caller.isAdmin())) {
                byDevice.computeIfAbsent(r.deviceId(), k -> new ArrayList<>()).add(r);
            }
            long compliant = 0;
            long pending = 0;
            List<ComplianceSummary.NonCompliantDevice> bad = new ArrayList<>();
            for (Map.Entry<String, List<ComplianceRow>> e : byDevice.entrySet()) {
                List<String> failing = e.getValue().stream()
                        .filter(r -> ComplianceState.NON_COMPLIANT.name().equals(r.state()))
                        .map(ComplianceRow::feature).toList();
                if (!failing.isEmpty()) {
                    Instant last = e.getValue().stream().map(ComplianceRow::reportedAt).max(Instant::compareTo)
                            .orElse(null);
                    bad.add(new ComplianceSummary.NonCompliantDevice(e.getKey(), failing, last));
                } else if (e.getValue().stream().anyMatch(r -> ComplianceState.PENDING.name().equals(r.state()))) {
                    pending++;
                } else {
                    compliant++;
                }
            }
            return new ComplianceSummary(policyId, byDevice.size(), compliant, bad.size(), pending, bad);
        });
    }

    /**
     * A device's compliance report on its effective policy (the device authenticated itself). A non-compliant feature
     * triggers its policy's action: ENFORCE pushes the effective policy again (once per report), WARN raises an alert.
     */
    public EffectivePolicyView report(String tenant, String deviceId, ComplianceReport report) {
        return jdbi.inTransaction(h -> {
            DevicePolicyRow current = h.attach(PolicyDao.class).devicePolicyForUpdate(tenant, deviceId)
                    .orElseThrow(() -> ApiException.conflict("no policy has been pushed to device " + deviceId));
            if (report.version() != null && report.version() != current.version()) {
                throw ApiException.conflict("the report is on policy version " + report.version()
                        + ", the device's effective policy is version " + current.version());
            }
            Map<String, Chosen> features = chosen(current.effective());
            List<String> unknown = report.features().keySet().stream().filter(f -> !features.containsKey(f)).sorted()
                    .toList();
            if (!unknown.isEmpty()) {
                throw ApiException.unprocessable("features: not in the device's effective policy: "
                        + String.join(", ", unknown));
            }
            record(h, tenant, deviceId, current, report.features(), "http");
            String type = h.attach(DeviceDao.class).find(tenant, deviceId).orElseThrow().type();
            return effectiveView(h, tenant, deviceId, type);
        });
    }

    /**
     * Compliance carried by the status report of a POLICY operation: per feature, or {@code all} for every feature of
     * the policy when the response names none. Ignored unless the operation still carries the device's effective
     * policy; features the policy lacks are ignored.
     */
    public void reportFromOperation(String tenant, String deviceId, String operationId,
            Map<String, ComplianceState> features, ComplianceState all) {
        jdbi.useTransaction(h -> {
            DevicePolicyRow current = h.attach(PolicyDao.class).devicePolicyForUpdate(tenant, deviceId).orElse(null);
            if (current == null || !operationId.equals(current.operationId())) {
                return;
            }
            Map<String, Chosen> chosen = chosen(current.effective());
            Map<String, ComplianceState> states = new TreeMap<>();
            if (features != null) {
                features.forEach((f, s) -> {
                    if (chosen.containsKey(f)) {
                        states.put(f, s);
                    }
                });
            } else {
                chosen.keySet().forEach(f -> states.put(f, all));
            }
            if (!states.isEmpty()) {
                record(h, tenant, deviceId, current, states, "operation " + operationId);
            }
        });
    }

    /** Stores a device's report, logs it and runs the actions of the policies it fails. */
    private void record(Handle h, String tenant, String deviceId, DevicePolicyRow current,
            Map<String, ComplianceState> states, String via) {
        Map<String, Chosen> features = chosen(current.effective());
        List<ComplianceRow> rows = new ArrayList<>();
        Map<String, List<String>> failingByPolicy = new TreeMap<>();
        states.forEach((feature, state) -> {
            String policyId = features.get(feature).policyId();
            rows.add(new ComplianceRow(deviceId, feature, policyId, state.name(), null));
            if (state == ComplianceState.NON_COMPLIANT) {
                failingByPolicy.computeIfAbsent(policyId, k -> new ArrayList<>()).add(feature);
            }
        });
        h.attach(PolicyDao.class).saveCompliance(tenant, rows);
        Caller device = deviceCaller(tenant, deviceId);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("version", current.version());
        details.put("features", new TreeMap<>(states));
        details.put("via", via);
        activities.record(h, device, "policy.compliance", "device", deviceId, details);
        act(h, device, deviceId, current, failingByPolicy);
    }

    private void act(Handle h, Caller device, String deviceId, DevicePolicyRow current,
            Map<String, List<String>> failingByPolicy) {
        PolicyDao dao = h.attach(PolicyDao.class);
        boolean enforce = false;
        List<AlertEvent> alerts = new ArrayList<>();
        long now = clock.millis();
        for (Map.Entry<String, List<String>> e : failingByPolicy.entrySet()) {
            PolicyRow policy = dao.find(device.tenant(), e.getKey()).orElse(null);
            if (policy == null) {
                continue; // deleted since the push; the next push will not carry it
            }
            switch (PolicyAction.valueOf(policy.action())) {
                case ENFORCE -> enforce = true;
                case WARN -> {
                    Map<String, Object> values = new LinkedHashMap<>();
                    values.put("policy", policy.id());
                    values.put("features", String.join(",", e.getValue()));
                    values.put("version", current.version());
                    alerts.add(new AlertEvent(device.tenant(), "policy", "policy:" + policy.id(), deviceId,
                            "warning", "device " + deviceId + " does not comply with policy " + policy.name()
                                    + " (" + String.join(", ", e.getValue()) + ")", now, now, values));
                }
                case MONITOR -> { }
            }
        }
        if (enforce && current.enforcements() >= MAX_ENFORCEMENTS) {
            activities.record(h, device, "policy.enforce.stopped", "device", deviceId,
                    Map.of("version", current.version(), "enforcements", current.enforcements()));
        } else if (enforce) {
            Map<String, String> ids = pusher.push(h, device.tenant(), device.name(),
                    List.of(new PolicyPusher.Push(deviceId, null, current.version(),
                            configuration(chosen(current.effective())))));
            dao.repushed(device.tenant(), deviceId, ids.get(deviceId));
            activities.record(h, device, "policy.enforce", "device", deviceId,
                    Map.of("version", current.version(), "operationId", ids.get(deviceId)));
        }
        if (!alerts.isEmpty()) {
            OutboxDao outbox = h.attach(OutboxDao.class);
            for (AlertEvent alert : alerts) {
                outbox.insert(Topics.ALERTS.name(), alert.kafkaKey(), AlertCodec.encode(alert));
            }
            h.afterCommit(afterOutbox);
            activities.record(h, device, "policy.warn", "device", deviceId,
                    Map.of("policies", alerts.stream().map(a -> a.values().get("policy")).toList()));
        }
    }

    // ---- devices that changed ----

    @Override
    public void devicesChanged(Handle h, Caller caller, List<String> deviceIds, boolean refuseConflicts) {
        if (deviceIds.isEmpty()) {
            return;
        }
        PolicyDao dao = h.attach(PolicyDao.class);
        List<DeviceContextRow> devices = dao.contexts(caller.tenant(), deviceIds.toArray(String[]::new));
        // Two changes at once could each miss the conflict the other creates: policy changes lock the type.
        dao.shareTypes(caller.tenant(), devices.stream().map(DeviceContextRow::type).distinct()
                .toArray(String[]::new));
        Plan plan = plan(h, caller.tenant(), devices);
        if (refuseConflicts) {
            refuse(plan, c -> true);
        }
        List<String> pushed = push(h, caller, plan);
        if (!pushed.isEmpty()) {
            activities.record(h, caller, "policy.push", "device", pushed.get(0), pushedDetails(pushed));
        }
    }

    // ---- the effective policy: plan, check, push ----

    /** Every device's merge result and which policies reached it. */
    private record Plan(Map<String, DeviceContextRow> devices, Map<String, Result> results,
            Map<String, Set<String>> applied) {

        Set<String> reachedBy(String policyId) {
            Set<String> out = new HashSet<>();
            applied.forEach((device, policies) -> {
                if (policies.contains(policyId)) {
                    out.add(device);
                }
            });
            return out;
        }
    }

    private Plan plan(Handle h, String tenant, List<DeviceContextRow> devices) {
        PolicyDao dao = h.attach(PolicyDao.class);
        String[] types = devices.stream().map(DeviceContextRow::type).distinct().toArray(String[]::new);
        List<PolicyRow> policies = types.length == 0 ? List.of() : dao.ofTypes(tenant, types);
        Map<String, List<AssignmentRow>> assignments = assignmentsByPolicy(dao, tenant,
                policies.stream().map(PolicyRow::id).toList());
        Map<String, DeviceContextRow> byId = new LinkedHashMap<>();
        Map<String, Result> results = new LinkedHashMap<>();
        Map<String, Set<String>> applied = new LinkedHashMap<>();
        for (DeviceContextRow d : devices) {
            List<Applicable> applicable = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (PolicyRow p : policies) {
                if (p.deviceType().equals(d.type()) && reaches(assignments.getOrDefault(p.id(), List.of()), d)) {
                    applicable.add(new Applicable(p.id(), p.priority(), p.action(), readConfiguration(p.features())));
                    ids.add(p.id());
                }
            }
            byId.put(d.id(), d);
            results.put(d.id(), PolicyMerge.merge(applicable));
            applied.put(d.id(), ids);
        }
        return new Plan(byId, results, applied);
    }

    /** Whether any assignment of a policy names the device's type, one of its groups, its owner or an owner's role. */
    static boolean reaches(List<AssignmentRow> assignments, DeviceContextRow d) {
        for (AssignmentRow a : assignments) {
            boolean hit = switch (a.kind()) {
                case "TYPE" -> a.target().equals(d.type());
                case "GROUP" -> List.of(d.groups()).contains(a.target());
                case "USER" -> a.target().equals(d.owner());
                case "ROLE" -> List.of(d.roles()).contains(a.target());
                default -> false;
            };
            if (hit) {
                return true;
            }
        }
        return false;
    }

    /**
     * After a change of one policy: refuses conflicts it takes part in (409), refuses a caller who may not act on
     * every device it reached before or reaches now (403: nobody configures devices beyond their own reach), and pushes
     * to the devices whose effective policy changed.
     */
    private int reapply(Handle h, Caller caller, String policyId, List<DeviceContextRow> devices, Set<String> before) {
        Plan plan = plan(h, caller.tenant(), devices);
        refuse(plan, c -> c.policyIds().contains(policyId));
        Set<String> reached = new HashSet<>(before);
        reached.addAll(plan.reachedBy(policyId));
        if (!caller.isAdmin() && !reached.isEmpty()) {
            List<String> visible = h.attach(PolicyDao.class).visible(caller.tenant(), reached.toArray(String[]::new),
                    caller.name(), caller.roleArray(), false);
            if (visible.size() != reached.size()) {
                throw ApiException.forbidden("the policy reaches " + (reached.size() - visible.size())
                        + " device(s) you may not act on");
            }
        }
        return push(h, caller, plan).size();
    }

    private static void refuse(Plan plan, Predicate<Conflict> counts) {
        List<String> details = new ArrayList<>();
        plan.results().forEach((device, result) -> {
            for (Conflict c : result.conflicts()) {
                if (counts.test(c)) {
                    details.add("device " + device + ", feature " + c.feature() + ": policies "
                            + String.join(", ", c.policyIds()) + " share priority " + c.priority());
                }
            }
        });
        if (!details.isEmpty()) {
            throw new ApiException(409, "conflicting priorities: " + details.get(0)
                    + (details.size() > 1 ? " (and " + (details.size() - 1) + " more)" : ""),
                    details.subList(0, Math.min(details.size(), AUDIT_IDS)));
        }
    }

    /** Pushes every device whose effective policy differs from the one it was last sent; returns their ids. */
    private List<String> push(Handle h, Caller caller, Plan plan) {
        if (plan.results().isEmpty()) {
            return List.of();
        }
        PolicyDao dao = h.attach(PolicyDao.class);
        Map<String, DevicePolicyRow> stored = new HashMap<>();
        for (DevicePolicyRow r : dao.devicePolicies(caller.tenant(), plan.results().keySet().toArray(String[]::new))) {
            stored.put(r.deviceId(), r);
        }
        List<PolicyPusher.Push> pushes = new ArrayList<>();
        Map<String, String> digests = new HashMap<>();
        plan.results().forEach((device, result) -> {
            String digest = digest(result);
            DevicePolicyRow last = stored.get(device);
            boolean changed = last == null ? !result.features().isEmpty() : !last.digest().equals(digest);
            if (changed) {
                digests.put(device, digest);
                pushes.add(new PolicyPusher.Push(device, plan.devices().get(device).type(),
                        last == null ? 1 : last.version() + 1, result.configuration()));
            }
        });
        if (pushes.isEmpty()) {
            return List.of();
        }
        Map<String, String> operations = pusher.push(h, caller.tenant(), caller.name(), pushes);
        List<String> pushed = new ArrayList<>();
        for (PolicyPusher.Push p : pushes) {
            Result result = plan.results().get(p.deviceId());
            dao.savePushed(caller.tenant(), new DevicePolicyRow(p.deviceId(), write(result), digests.get(p.deviceId()),
                    p.version(), operations.get(p.deviceId()), null, 0));
            dao.clearCompliance(caller.tenant(), p.deviceId());
            List<ComplianceRow> pending = new ArrayList<>();
            result.features().forEach((feature, chosen) -> pending.add(new ComplianceRow(p.deviceId(), feature,
                    chosen.policyId(), ComplianceState.PENDING.name(), null)));
            dao.saveCompliance(caller.tenant(), pending);
            pushed.add(p.deviceId());
        }
        return pushed;
    }

    /** What a device is told, and by which policy: a change of either is a new push. */
    private String digest(Result result) {
        Map<String, Object> essence = new TreeMap<>();
        result.features().forEach((f, c) -> essence.put(f, List.of(c.policyId(), c.params())));
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(write(essence).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    // ---- checks ----

    /** 422 for an unknown type, feature, group, role or user, or params that break the feature's schema. */
    private void validate(Handle h, Caller caller, PolicySpec spec) {
        DeviceTypeRow type = h.attach(DeviceTypeDao.class).find(caller.tenant(), spec.deviceType())
                .orElseThrow(() -> ApiException.unprocessable("unknown device type " + spec.deviceType()));
        Map<String, Feature> features = new HashMap<>();
        for (Feature f : read(type.features(), FEATURES)) {
            features.put(f.code(), f);
        }
        List<String> problems = new ArrayList<>();
        new TreeMap<>(spec.features()).forEach((code, params) -> {
            Feature feature = features.get(code);
            if (feature == null) {
                problems.add("features." + code + ": device type " + spec.deviceType() + " has no such feature");
            } else {
                problems.addAll(schemaProblems(schemas, code, feature.params(),
                        params == null ? json.nullNode() : params));
            }
        });
        if (!problems.isEmpty()) {
            throw new ApiException(422, problems.get(0), problems);
        }
        PolicyAssignments a = spec.assignmentsOrNone();
        for (String t : a.deviceTypes()) {
            if (!t.equals(spec.deviceType())) {
                throw ApiException.unprocessable("assignments.deviceTypes: a policy for " + spec.deviceType()
                        + " reaches only devices of that type, not " + t);
            }
        }
        String[] groups = a.groups().toArray(String[]::new);
        requireAll("group", a.groups(), groups.length == 0 ? List.of() : h.attach(GroupDao.class)
                .visibleIds(caller.tenant(), groups, caller.name(), caller.roleArray(), caller.isAdmin()));
        requireAll("role", a.roles(), a.roles().isEmpty() ? List.of()
                : h.attach(RoleDao.class).existing(caller.tenant(), a.roles().toArray(String[]::new)));
        requireAll("user", a.users(), a.users().isEmpty() ? List.of()
                : h.attach(PolicyDao.class).existingOwners(caller.tenant(), a.users().toArray(String[]::new)));
    }

    /** The ways params break a feature's schema, each starting with the path {@code features.<code>...}. */
    static List<String> schemaProblems(ParamsValidator validator, String code, JsonNode schema, JsonNode params) {
        return validator.violations(schema, params).stream().map(v -> "features." + code + path(v)).toList();
    }

    /** A violation's JSON pointer into the params ("/tags/1: ...") as the rest of a dotted path (".tags.1: ..."). */
    private static String path(String violation) {
        int colon = violation.indexOf(": ");
        if ((violation.startsWith("/") || violation.startsWith("$")) && colon > 0) {
            String pointer = violation.substring(violation.startsWith("$") ? 1 : 0, colon);
            return pointer.replace('/', '.') + violation.substring(colon);
        }
        return ": " + violation;
    }

    private static void requireAll(String what, List<String> wanted, Collection<String> found) {
        if (found.size() != wanted.size()) {
            List<String> unknown = new ArrayList<>(wanted);
            unknown.removeAll(found);
            throw ApiException.unprocessable("unknown " + what + "(s) " + String.join(", ", unknown));
        }
    }

    // ---- views and rows ----

    private EffectivePolicyView effectiveView(Handle h, String tenant, String deviceId, String type) {
        PolicyDao dao = h.attach(PolicyDao.class);
        List<DevicePolicyRow> stored = dao.devicePolicies(tenant, new String[] {deviceId});
        if (stored.isEmpty()) {
            return new EffectivePolicyView(deviceId, type, 0, null, null, Map.of(), List.of());
        }
        DevicePolicyRow row = stored.get(0);
        Map<String, ComplianceRow> compliance = new HashMap<>();
        for (ComplianceRow c : dao.complianceOf(tenant, deviceId)) {
            compliance.put(c.feature(), c);
        }
        Map<String, EffectivePolicyView.Feature> features = new TreeMap<>();
        chosen(row.effective()).forEach((code, c) -> {
            ComplianceRow state = compliance.get(code);
            features.put(code, new EffectivePolicyView.Feature(c.policyId(), c.priority(), c.params(),
                    state == null ? ComplianceState.PENDING : ComplianceState.valueOf(state.state()),
                    state == null ? null : state.reportedAt()));
        });
        Result result = read(row.effective(), Result.class);
        return new EffectivePolicyView(deviceId, type, row.version(), row.operationId(), row.pushedAt(), features,
                result.conflicts());
    }

    private PolicyView view(Handle h, String tenant, String id) {
        PolicyDao dao = h.attach(PolicyDao.class);
        PolicyRow row = dao.find(tenant, id).orElseThrow(() -> notFound(id));
        return view(row, dao.assignments(tenant, new String[] {id}));
    }

    private PolicyView view(PolicyRow r, List<AssignmentRow> assignments) {
        Map<String, List<String>> byKind = new HashMap<>();
        for (AssignmentRow a : assignments) {
            byKind.computeIfAbsent(a.kind(), k -> new ArrayList<>()).add(a.target());
        }
        return new PolicyView(r.id(), r.name(), r.description(), r.deviceType(), r.priority(),
                PolicyAction.valueOf(r.action()), readConfiguration(r.features()),
                new PolicyAssignments(byKind.get("TYPE"), byKind.get("GROUP"), byKind.get("ROLE"), byKind.get("USER")),
                r.version(), r.createdBy(), r.createdAt(), r.updatedBy(), r.updatedAt());
    }

    private static Map<String, List<AssignmentRow>> assignmentsByPolicy(PolicyDao dao, String tenant,
            List<String> ids) {
        Map<String, List<AssignmentRow>> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        for (AssignmentRow a : dao.assignments(tenant, ids.toArray(String[]::new))) {
            out.computeIfAbsent(a.policyId(), k -> new ArrayList<>()).add(a);
        }
        return out;
    }

    private PolicyRow row(Caller caller, String id, PolicySpec spec) {
        return new PolicyRow(caller.tenant(), id, spec.name(), spec.description() == null ? "" : spec.description(),
                spec.deviceType(), spec.priority(), spec.actionOrDefault().name(), write(spec.features()), 0,
                caller.name(), null, caller.name(), null);
    }

    private static List<AssignmentRow> assignmentRows(String id, PolicyAssignments a) {
        List<AssignmentRow> rows = new ArrayList<>();
        a.deviceTypes().forEach(t -> rows.add(new AssignmentRow(id, "TYPE", t)));
        a.groups().forEach(t -> rows.add(new AssignmentRow(id, "GROUP", t)));
        a.roles().forEach(t -> rows.add(new AssignmentRow(id, "ROLE", t)));
        a.users().forEach(t -> rows.add(new AssignmentRow(id, "USER", t)));
        return rows;
    }

    private static Map<String, Object> audit(PolicySpec spec, int pushed) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", spec.name());
        details.put("deviceType", spec.deviceType());
        details.put("priority", spec.priority());
        details.put("action", spec.actionOrDefault().name());
        details.put("features", new ArrayList<>(new TreeMap<>(spec.features()).keySet()));
        PolicyAssignments a = spec.assignmentsOrNone();
        details.put("assignments", Map.of("deviceTypes", a.deviceTypes(), "groups", a.groups(), "roles", a.roles(),
                "users", a.users()));
        details.put("pushedTo", pushed);
        return details;
    }

    private static Map<String, Object> pushedDetails(List<String> pushed) {
        return Map.of("pushedTo", pushed.size(), "devices", pushed.subList(0, Math.min(pushed.size(), AUDIT_IDS)));
    }

    private static Caller deviceCaller(String tenant, String deviceId) {
        return new Caller(tenant, "device:" + deviceId, "device", Set.of(), Set.of(), null);
    }

    private Map<String, Chosen> chosen(String effectiveJson) {
        return read(effectiveJson, Result.class).features();
    }

    private static Map<String, JsonNode> configuration(Map<String, Chosen> chosen) {
        Map<String, JsonNode> out = new TreeMap<>();
        chosen.forEach((k, v) -> out.put(k, v.params()));
        return out;
    }

    private Map<String, JsonNode> readConfiguration(String text) {
        return read(text, CONFIGURATION);
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is always readable", e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is always readable", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain values always serialise", e);
        }
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("policy " + id + " not found");
    }
}
