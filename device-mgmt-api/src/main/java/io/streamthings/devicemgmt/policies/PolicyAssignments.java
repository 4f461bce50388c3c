package io.streamthings.devicemgmt.policies;

import io.streamthings.devicemgmt.api.Validation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Whose devices a policy reaches: every device of these types, in these groups, or owned by these users (or OAuth
 * clients) or by holders of these roles. Only devices of the policy's own device type are ever reached.
 */
@Schema(name = "PolicyAssignments")
public record PolicyAssignments(
        @Size(max = 1000) List<@Pattern(regexp = Validation.ID, message = Validation.ID_MESSAGE) String> deviceTypes,
        @Size(max = 1000) List<@Pattern(regexp = Validation.ID, message = Validation.ID_MESSAGE) String> groups,
        @Size(max = 1000) List<@Pattern(regexp = Validation.ID, message = Validation.ID_MESSAGE) String> roles,
        @Size(max = 1000) List<@Pattern(regexp = Validation.ID, message = Validation.ID_MESSAGE) String> users) {

    public PolicyAssignments {
        deviceTypes = sorted(deviceTypes);
        groups = sorted(groups);
        roles = sorted(roles);
        users = sorted(users);
    }

    static PolicyAssignments none() {
        return new PolicyAssignments(null, null, null, null);
    }

    private static List<String> sorted(List<String> list) {
        return list == null ? List.of() : list.stream().distinct().sorted().toList();
    }
}
