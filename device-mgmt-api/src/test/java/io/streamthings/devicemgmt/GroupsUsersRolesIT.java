package io.streamthings.devicemgmt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.streamthings.devicemgmt.support.Api;
import io.streamthings.devicemgmt.support.AppUnderTest;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Groups, membership and sharing; users; roles; the audit log. */
@ExtendWith(DropwizardExtensionsSupport.class)
class GroupsUsersRolesIT {

    private static final AppUnderTest APP = AppUnderTest.create("groups_users_it");
    static final DropwizardAppExtension<DeviceMgmtConfiguration> EXT = APP.extension();

    private static Api api;
    private static String admin;

    @BeforeAll
    static void setUp() {
        api = APP.api();
        admin = api.login("admin", APP.adminPassword());
        api.post("/api/v1/device-types", admin, "{\"name\":\"sensor\"}").assertStatus(201);
    }

    @Test
    void shouldManageGroupsAndTheirMembers() {
        api.post("/api/v1/devices", admin, "{\"id\":\"g-dev\",\"name\":\"d\",\"type\":\"sensor\"}").assertStatus(201);
        JsonNode group = api.post("/api/v1/groups", admin, "{\"id\":\"plant-a\",\"name\":\"Plant A\"}")
                .assertStatus(201).json();
        assertThat(group.path("owner").asText()).isEqualTo("admin");

        assertThat(api.post("/api/v1/groups/plant-a/devices/g-dev", admin, "").assertStatus(200).json()
                .path("deviceCount").asLong()).isEqualTo(1);
        assertThat(api.get("/api/v1/devices?group=plant-a", admin).json().path("total").asLong()).isEqualTo(1);
        api.post("/api/v1/groups/plant-a/devices/missing", admin, "").assertError(404);
        api.post("/api/v1/groups/missing/devices/g-dev", admin, "").assertError(404);
        JsonNode renamed = api.put("/api/v1/groups/plant-a", admin, "{\"name\":\"Plant A (north)\"}")
                .assertStatus(200).json();
        assertThat(renamed.path("name").asText()).isEqualTo("Plant A (north)");
        assertThat(api.get("/api/v1/groups", admin).json().path("total").asLong()).isGreaterThanOrEqualTo(1);
        api.delete("/api/v1/groups/plant-a/devices/g-dev", admin).assertStatus(204);
        api.delete("/api/v1/groups/plant-a/devices/g-dev", admin).assertError(404);
        api.delete("/api/v1/groups/plant-a", admin).assertStatus(204);
        api.get("/api/v1/groups/plant-a", admin).assertError(404);
        api.get("/api/v1/devices/g-dev", admin).assertStatus(200);
    }

    @Test
    void shouldRefuseDuplicateAndBadGroups() {
        api.post("/api/v1/groups", admin, "{\"id\":\"dup-g\",\"name\":\"Dup\"}").assertStatus(201);
        api.post("/api/v1/groups", admin, "{\"id\":\"dup-g\",\"name\":\"Other\"}").assertError(409);
        api.post("/api/v1/groups", admin, "{\"id\":\"other-g\",\"name\":\"Dup\"}").assertError(409);
        api.post("/api/v1/groups", admin, "{\"name\":\"" + "g".repeat(129) + "\"}").assertError(400);
        api.post("/api/v1/groups", admin, "{\"name\":\"x\",\"members\":[]}").assertError(400);
        api.put("/api/v1/groups/dup-g", admin, "{\"id\":\"changed\",\"name\":\"Dup\"}").assertError(400);
        api.put("/api/v1/groups/dup-g/roles", admin, "{\"roles\":[\"ghost\"]}").assertError(422);
        api.put("/api/v1/groups/dup-g/roles", admin, "{}").assertError(400);
    }

    @Test
    void shouldManageUsers() {
        JsonNode created = api.post("/api/v1/users", admin, "{\"username\":\"uma\",\"password\":\"uma-password\","
                + "\"roles\":[\"admin\"]}").assertStatus(201).json();
        assertThat(created.path("tenant").asText()).isEqualTo("default");
        assertThat(created.toString()).doesNotContain("uma-password").doesNotContain("$2");
        String uma = api.login("uma", "uma-password");

        api.post("/api/v1/users", admin, "{\"username\":\"uma\",\"password\":\"another-pw\"}").assertError(409);
        api.post("/api/v1/users", admin, "{\"username\":\"shorty\",\"password\":\"short\"}").assertError(400);
        api.post("/api/v1/users", admin, "{\"username\":\"x\",\"password\":\"" + "p".repeat(73) + "\"}")
                .assertError(400);
        api.post("/api/v1/users", admin, "{\"username\":\"r\",\"password\":\"password1\",\"roles\":[\"ghost\"]}")
                .assertError(422);
        assertThat(api.get("/api/v1/users", admin).json()).extracting(n -> n.path("username").asText())
                .contains("admin", "uma");
        api.get("/api/v1/users/uma", admin).assertStatus(200);

        api.put("/api/v1/users/uma", admin, "{\"password\":\"new-uma-password\"}").assertStatus(200);

        api.get("/api/v1/devices", uma).assertError(401);
        api.login("uma", "new-uma-password");
        api.delete("/api/v1/users/admin", admin).assertError(409);
        api.delete("/api/v1/users/uma", admin).assertStatus(204);
        api.get("/api/v1/users/uma", admin).assertError(404);
        api.put("/api/v1/users/uma", admin, "{\"roles\":[]}").assertError(404);
    }

    @Test
    void shouldKeepOtherTenantsUsersApart() {
        api.post("/api/v1/users", admin, "{\"username\":\"ted\",\"password\":\"ted-password\",\"roles\":[\"admin\"],"
                + "\"tenant\":\"t2\"}").assertStatus(201);
        String ted = api.login("ted", "ted-password");

        api.get("/api/v1/users/admin", ted).assertError(404);
        api.delete("/api/v1/users/admin", ted).assertError(404);
        // Only the platform admin holds tenant:manage.
        api.post("/api/v1/users", ted, "{\"username\":\"eve\",\"password\":\"eve-password\",\"tenant\":\"default\"}")
                .assertError(403);
    }

    @Test
    void shouldManageRolesWithinTheCallersOwnScopes() {
        JsonNode role = api.post("/api/v1/roles", admin, "{\"name\":\"auditor\",\"scopes\":[\"activity:view\"]}")
                .assertStatus(201).json();
        assertThat(role.path("scopes").get(0).asText()).isEqualTo("activity:view");

        api.post("/api/v1/roles", admin, "{\"name\":\"auditor\",\"scopes\":[]}").assertError(409);
        api.post("/api/v1/roles", admin, "{\"name\":\"bad\",\"scopes\":[\"root:all\"]}").assertError(400);
        api.put("/api/v1/roles/auditor", admin, "{\"scopes\":[\"activity:view\",\"device:view\"]}")
                .assertStatus(200);
        assertThat(api.get("/api/v1/roles/auditor", admin).json().path("scopes")).hasSize(2);
        api.put("/api/v1/roles/admin", admin, "{\"scopes\":[]}").assertError(409);
        api.delete("/api/v1/roles/admin", admin).assertError(409);
        api.put("/api/v1/roles/ghost", admin, "{\"scopes\":[]}").assertError(404);
        api.post("/api/v1/roles", admin, "{\"name\":\"limited\",\"scopes\":[\"user:manage\"]}").assertStatus(201);
        api.post("/api/v1/users", admin, "{\"username\":\"lim\",\"password\":\"lim-password\","
                + "\"roles\":[\"limited\"]}").assertStatus(201);
        String lim = api.login("lim", "lim-password");
        api.post("/api/v1/roles", lim, "{\"name\":\"escalate\",\"scopes\":[\"device:manage\"]}").assertError(403);
        assertThat(api.get("/api/v1/roles", admin).json()).extracting(n -> n.path("name").asText())
                .contains("admin", "auditor");
        api.delete("/api/v1/roles/auditor", admin).assertStatus(204);
        api.get("/api/v1/roles/auditor", admin).assertError(404);
    }

    @Test
    void shouldRecordEveryChangeInTheAuditLog() {
        Instant before = Instant.now().minusSeconds(1);
        api.post("/api/v1/devices", admin, "{\"id\":\"audited\",\"name\":\"d\",\"type\":\"sensor\"}")
                .assertStatus(201);
        api.put("/api/v1/devices/audited", admin, "{\"status\":\"BLOCKED\"}").assertStatus(200);

        JsonNode page = api.get("/api/v1/activities?from=" + before.toEpochMilli() + "&to=now&actor=admin", admin)
                .assertStatus(200).json();

        assertThat(page.path("items")).extracting(n -> n.path("action").asText() + ":" + n.path("targetId").asText())
                .contains("device.enroll:audited", "device.status:audited");
        JsonNode status = page.path("items").get(0);
        assertThat(status.path("actor").asText()).isEqualTo("admin");
        assertThat(status.path("details").path("status").asText()).isEqualTo("BLOCKED");
        assertThat(api.get("/api/v1/activities?from=-1h&actor=nobody", admin).json().path("total").asLong())
                .isZero();
        assertThat(api.get("/api/v1/activities?from=2020-01-01T00:00:00Z", admin).json().path("total").asLong())
                .isPositive();
        api.get("/api/v1/activities?from=yesterday-ish", admin).assertError(400);
        api.get("/api/v1/activities?actor=" + Api.enc("' OR 1=1 --"), admin).assertStatus(200);
    }
}
