package io.streamthings.devicemgmt;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.streamthings.devicemgmt.support.Api;
import io.streamthings.devicemgmt.support.AppUnderTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Nobody gains through users, roles or clients a scope they do not hold: the black-box try of issue 15 (a user with
 * only user:manage made itself admin and set the admin's password), and the rest of that class of defect.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class EscalationIT {

    private static final AppUnderTest APP = AppUnderTest.create("escalation_it");
    static final DropwizardAppExtension<DeviceMgmtConfiguration> EXT = APP.extension();

    private static Api api;
    private static String admin;

    @BeforeAll
    static void setUp() {
        api = APP.api();
        admin = api.login("admin", APP.adminPassword());
        api.post("/api/v1/roles", admin, "{\"name\":\"user-managers\",\"scopes\":[\"user:manage\"]}")
                .assertStatus(201);
        api.post("/api/v1/roles", admin, "{\"name\":\"operators\",\"scopes\":[\"device:manage\",\"device:view\"]}")
                .assertStatus(201);
        for (String name : new String[] {"mallory", "peer"}) {
            api.post("/api/v1/users", admin, "{\"username\":\"" + name + "\",\"password\":\"" + name
                    + "-password\",\"roles\":[\"user-managers\"]}").assertStatus(201);
        }
        api.post("/api/v1/users", admin, "{\"username\":\"deputy\",\"password\":\"deputy-password\","
                + "\"roles\":[\"admin\"]}").assertStatus(201);
        api.post("/api/v1/users", admin, "{\"username\":\"olga\",\"password\":\"olga-password\","
                + "\"roles\":[\"operators\"]}").assertStatus(201);
    }

    private static String mallory() {
        return api.login("mallory", "mallory-password");
    }

    @Test
    void shouldNotLetAUserManagerGrantThemselvesTheAdminRole() {
        String mallory = mallory();

        api.put("/api/v1/users/mallory", mallory, "{\"roles\":[\"admin\"]}").assertError(403);
        api.put("/api/v1/users/mallory", mallory, "{\"roles\":[\"user-managers\",\"operators\"]}").assertError(403);

        String again = mallory();
        assertThat(api.get("/api/v1/users/mallory", admin).json().path("roles").toString())
                .isEqualTo("[\"user-managers\"]");
        api.get("/api/v1/devices", again).assertError(403);
    }

    @Test
    void shouldNotLetAUserManagerSetAnotherUsersPassword() {
        String mallory = mallory();

        api.put("/api/v1/users/admin", mallory, "{\"password\":\"owned-by-mallory\"}").assertError(403);
        // Even a user holding no more than the caller: only the user or an admin holding all its scopes.
        api.put("/api/v1/users/peer", mallory, "{\"password\":\"owned-by-mallory\"}").assertError(403);

        api.form("/api/v1/oauth2/token", null, Map.of("grant_type", "password", "username", "admin", "password",
                "owned-by-mallory")).assertError(401);
        api.login("admin", APP.adminPassword());
        api.login("peer", "peer-password");
    }

    @Test
    void shouldLetUsersChangeTheirOwnPasswordAndAdminsTheirs() {
        api.post("/api/v1/users", admin, "{\"username\":\"sam\",\"password\":\"sam-password\","
                + "\"roles\":[\"user-managers\"]}").assertStatus(201);
        String sam = api.login("sam", "sam-password");

        api.put("/api/v1/users/sam", sam, "{\"password\":\"sam-new-password\"}").assertStatus(200);
        api.login("sam", "sam-new-password");
        api.put("/api/v1/users/sam", admin, "{\"password\":\"sam-admin-set\"}").assertStatus(200);
        api.login("sam", "sam-admin-set");
    }

    @Test
    void shouldNotLetAUserManagerCreateAUserOrClientWithMoreScopes() {
        String mallory = mallory();

        api.post("/api/v1/users", mallory, "{\"username\":\"sock\",\"password\":\"sock-password\","
                + "\"roles\":[\"admin\"]}").assertError(403);
        api.post("/api/v1/clients", mallory, "{\"clientId\":\"backdoor\",\"roles\":[\"admin\"]}").assertError(403);
        api.post("/api/v1/clients", mallory, "{\"clientId\":\"backdoor\",\"roles\":[\"operators\"]}").assertError(403);

        api.get("/api/v1/users/sock", admin).assertError(404);
        assertThat(api.get("/api/v1/clients", admin).body()).doesNotContain("backdoor");
        // Within the caller's own scopes it still works.
        api.post("/api/v1/users", mallory, "{\"username\":\"helper\",\"password\":\"helper-password\","
                + "\"roles\":[\"user-managers\"]}").assertStatus(201);
    }

    @Test
    void shouldNotLetAUserManagerChangeOrDeleteAUserWithMoreScopes() {
        String mallory = mallory();

        api.put("/api/v1/users/olga", mallory, "{\"roles\":[]}").assertError(403);
        api.delete("/api/v1/users/olga", mallory).assertError(403);
        api.delete("/api/v1/users/deputy", mallory).assertError(403);

        api.login("deputy", "deputy-password");
        assertThat(api.get("/api/v1/users/olga", admin).json().path("roles").toString()).isEqualTo("[\"operators\"]");
    }

    @Test
    void shouldNotLetAUserManagerChangeOrDeleteARoleWithMoreScopes() {
        String mallory = mallory();

        api.put("/api/v1/roles/user-managers", mallory, "{\"scopes\":[\"user:manage\",\"device:manage\"]}")
                .assertError(403);
        api.put("/api/v1/roles/operators", mallory, "{\"scopes\":[\"user:manage\"]}").assertError(403);
        api.delete("/api/v1/roles/operators", mallory).assertError(403);
        api.post("/api/v1/roles", mallory, "{\"name\":\"platform\",\"scopes\":[\"tenant:manage\"]}").assertError(403);

        assertThat(api.get("/api/v1/roles/operators", admin).json().path("scopes")).hasSize(2);
    }

    @Test
    void shouldJudgeTheCallerByTheScopesOfItsTokenNotOfItsRoles() {
        String narrowAdmin = api.form("/api/v1/oauth2/token", null, Map.of("grant_type", "password", "username",
                "admin", "password", APP.adminPassword(), "scope", "user:manage")).assertStatus(200).json()
                .path("access_token").asText();

        api.put("/api/v1/users/mallory", narrowAdmin, "{\"roles\":[\"admin\"]}").assertError(403);
        api.post("/api/v1/clients", narrowAdmin, "{\"clientId\":\"narrow\",\"roles\":[\"admin\"]}").assertError(403);
    }

    @Test
    void shouldKeepTenantManageOutOfReachOfTenantAdminsOfDefault() {
        // A tenant admin of another tenant cannot reach tenant:manage; in default, only its holders pass it on.
        api.post("/api/v1/users", admin, "{\"username\":\"tina\",\"password\":\"tina-password\",\"roles\":[\"admin\"],"
                + "\"tenant\":\"escalation-t2\"}").assertStatus(201);
        String tina = api.login("tina", "tina-password");
        api.post("/api/v1/roles", tina, "{\"name\":\"platform\",\"scopes\":[\"tenant:manage\"]}").assertError(403);

        String mallory = mallory();
        api.put("/api/v1/users/mallory", mallory, "{\"roles\":[\"admin\",\"user-managers\"]}").assertError(403);
        String again = mallory();
        api.post("/api/v1/users", again, "{\"username\":\"eve\",\"password\":\"eve-password\","
                + "\"tenant\":\"elsewhere\"}").assertError(403);
    }
}
