package io.streamthings.devicemgmt;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.streamthings.devicemgmt.support.Api;
import io.streamthings.devicemgmt.support.AppUnderTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Changing or deleting a role changes at once what tokens already issued to its holders may do. */
@ExtendWith(DropwizardExtensionsSupport.class)
class RoleChangeIT {

    private static final AppUnderTest APP = AppUnderTest.create("role_change_it");
    static final DropwizardAppExtension<DeviceMgmtConfiguration> EXT = APP.extension();

    private static Api api;
    private static String admin;

    @BeforeAll
    static void setUp() {
        api = APP.api();
        admin = api.login("admin", APP.adminPassword());
    }

    @Test
    void shouldRefuseAScopeRemovedFromTheRoleToATokenIssuedBefore() {
        api.post("/api/v1/roles", admin, "{\"name\":\"viewers\",\"scopes\":[\"device:view\",\"activity:view\"]}")
                .assertStatus(201);
        api.post("/api/v1/users", admin, "{\"username\":\"vic\",\"password\":\"vic-password\","
                + "\"roles\":[\"viewers\"]}").assertStatus(201);
        String vic = api.login("vic", "vic-password");
        api.get("/api/v1/devices", vic).assertStatus(200);

        api.put("/api/v1/roles/viewers", admin, "{\"scopes\":[\"activity:view\"]}").assertStatus(200);

        api.get("/api/v1/devices", vic).assertError(403);
        api.get("/api/v1/activities", vic).assertStatus(200);
    }

    @Test
    void shouldRefuseEveryScopeOfADeletedRoleToATokenIssuedBefore() {
        api.post("/api/v1/roles", admin, "{\"name\":\"temps\",\"scopes\":[\"device:view\"]}").assertStatus(201);
        api.post("/api/v1/users", admin, "{\"username\":\"tim\",\"password\":\"tim-password\","
                + "\"roles\":[\"temps\"]}").assertStatus(201);
        String tim = api.login("tim", "tim-password");
        api.get("/api/v1/devices", tim).assertStatus(200);

        api.delete("/api/v1/roles/temps", admin).assertStatus(204);

        api.get("/api/v1/devices", tim).assertError(403);
    }

    @Test
    void shouldNotWidenATokenWhenItsRoleGainsAScope() {
        api.post("/api/v1/roles", admin, "{\"name\":\"growing\",\"scopes\":[\"activity:view\"]}").assertStatus(201);
        api.post("/api/v1/users", admin, "{\"username\":\"gil\",\"password\":\"gil-password\","
                + "\"roles\":[\"growing\"]}").assertStatus(201);
        String gil = api.login("gil", "gil-password");

        api.put("/api/v1/roles/growing", admin, "{\"scopes\":[\"activity:view\",\"device:view\"]}")
                .assertStatus(200);

        // The token says what it was issued for; a wider role applies from the next sign-in.
        api.get("/api/v1/devices", gil).assertError(403);
        api.get("/api/v1/devices", api.login("gil", "gil-password")).assertStatus(200);
    }
}
