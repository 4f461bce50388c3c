package io.streamthings.devicemgmt.policies;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the policies that apply to one device become its effective policy: per feature, the policy with the highest
 * priority supplies the params. Two policies with the same priority that both configure a feature are a conflict; the
 * service refuses the change that would create one, and a conflict that arose otherwise (e.g. a role granted to the
 * device's owner later) is settled by the smaller policy id and reported, so the result is always deterministic.
 */
public final class PolicyMerge {

    private PolicyMerge() {}

    /** One policy that applies to the device. A policy reached through several assignments is passed once. */
    public record Applicable(String policyId, int priority, String action, Map<String, JsonNode> features) {}

    /** The params of one feature and the policy they come from. */
    public record Chosen(String policyId, int priority, String action, JsonNode params) {}

    /** Two or more policies of the same priority configuring one feature. */
    public record Conflict(String feature, int priority, List<String> policyIds) {}

    /**
     * @param features the effective configuration, by feature code in code order
     * @param conflicts empty when every feature had one winner
     */
    public record Result(Map<String, Chosen> features, List<Conflict> conflicts) {

        /** The configuration alone, feature code to params, as the device receives it. */
        public Map<String, JsonNode> configuration() {
            Map<String, JsonNode> out = new LinkedHashMap<>();
            features.forEach((code, chosen) -> out.put(code, chosen.params()));
            return out;
        }
    }

    /** Merges the policies; the order of the input does not matter. */
    public static Result merge(List<Applicable> policies) {
        // Highest priority first, then smallest id: the first policy seen for a feature wins.
        List<Applicable> ordered = new ArrayList<>(policies);
        ordered.sort(Comparator.comparingInt(Applicable::priority).reversed().thenComparing(Applicable::policyId));
        Map<String, Chosen> chosen = new TreeMap<>();
        Map<String, List<String>> ties = new TreeMap<>();
        for (Applicable p : ordered) {
            for (Map.Entry<String, JsonNode> f : p.features().entrySet()) {
                Chosen winner = chosen.get(f.getKey());
                if (winner == null) {
                    chosen.put(f.getKey(), new Chosen(p.policyId(), p.priority(), p.action(), f.getValue()));
                } else if (winner.priority() == p.priority() && !winner.policyId().equals(p.policyId())) {
                    ties.computeIfAbsent(f.getKey(), k -> new ArrayList<>(List.of(winner.policyId())))
                            .add(p.policyId());
                }
            }
        }
        List<Conflict> conflicts = new ArrayList<>();
        ties.forEach((feature, ids) -> conflicts.add(new Conflict(feature, chosen.get(feature).priority(), ids)));
        return new Result(chosen, conflicts);
    }
}
