package io.streamthings.devicemgmt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.streamthings.devicemgmt.support.Api;
import io.streamthings.devicemgmt.support.AppUnderTest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Devices: enrollment, search, changes, tokens, bulk, and the per-device check. */
@ExtendWith(DropwizardExtensionsSupport.class)
class DevicesIT {

    private static final AppUnderTest APP = AppUnderTest.create("devices_it");
    static final DropwizardAppExtension<DeviceMgmtConfiguration> EXT = APP.extension();

    private static final List<String> SQL_TRICKS = List.of("' OR '1'='1", "'; DROP TABLE devices; --", "%", "_",
            "\\", "\" OR 1=1 --", "1) OR (1=1", "$$", "!", "%' UNION SELECT token_hash FROM devices --");

    private static Api api;
    private static String admin;
    private static String alice;
    private static String bob;

    @BeforeAll
    static void setUp() {
        api = APP.api();
        admin = api.login("admin", APP.adminPassword());
        api.post("/api/v1/device-types", admin, "{\"name\":\"sensor\"}").assertStatus(201);
        api.post("/api/v1/device-types", admin, "{\"name\":\"meter\",\"properties\":[{\"name\":\"site\","
                + "\"required\":true}]}").assertStatus(201);
        api.post("/api/v1/roles", admin, "{\"name\":\"operator\",\"scopes\":[\"device:view\",\"device:manage\","
                + "\"group:manage\"]}").assertStatus(201);
        api.post("/api/v1/roles", admin, "{\"name\":\"field\",\"scopes\":[\"device:view\",\"device:manage\"]}")
                .assertStatus(201);
        api.post("/api/v1/users", admin, "{\"username\":\"alice\",\"password\":\"alice-password\","
                + "\"roles\":[\"operator\"]}").assertStatus(201);
        api.post("/api/v1/users", admin, "{\"username\":\"bob\",\"password\":\"bob-password\","
                + "\"roles\":[\"field\"]}").assertStatus(201);
        alice = api.login("alice", "alice-password");
        bob = api.login("bob", "bob-password");
    }

    @Test
    void shouldEnrollADeviceAndShowItsTokenOnlyOnce() {
        Api.Reply enrolled = api.post("/api/v1/devices", alice, "{\"id\":\"enroll-1\",\"name\":\"Boiler\","
                + "\"type\":\"sensor\",\"properties\":{\"floor\":2}}").assertStatus(201);

        JsonNode body = enrolled.json();
        assertThat(body.path("id").asText()).isEqualTo("enroll-1");
        assertThat(body.path("token").asText()).hasSize(43);
        assertThat(body.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(body.path("owner").asText()).isEqualTo("alice");
        assertThat(enrolled.headers().get("location")).anyMatch(l -> l.endsWith("/api/v1/devices/enroll-1"));
        JsonNode fetched = api.get("/api/v1/devices/enroll-1", alice).assertStatus(200).json();
        assertThat(fetched.has("token")).isFalse();
        assertThat(fetched.path("properties").path("floor").asInt()).isEqualTo(2);
        assertThat(fetched.has("lastSeen")).isTrue();
        assertThat(fetched.path("online").asBoolean()).isFalse();
        assertThat(api.get("/api/v1/devices/enroll-1", alice).body()).doesNotContain(body.path("token").asText());
    }

    @Test
    void shouldGenerateAnIdWhenNoneIsGiven() {
        JsonNode body = api.post("/api/v1/devices", alice, "{\"name\":\"Anon\",\"type\":\"sensor\"}")
                .assertStatus(201).json();

        assertThat(body.path("id").asText()).isNotBlank();
    }

    @Test
    void shouldRefuseBadEnrollments() {
        api.post("/api/v1/devices", alice, "{\"id\":\"dup-1\",\"name\":\"a\",\"type\":\"sensor\"}").assertStatus(201);
        api.post("/api/v1/devices", alice, "{\"id\":\"dup-1\",\"name\":\"b\",\"type\":\"sensor\"}").assertError(409);
        api.post("/api/v1/devices", alice, "{\"name\":\"a\",\"type\":\"no-such-type\"}").assertError(422);
        api.post("/api/v1/devices", alice, "{\"name\":\"a\",\"type\":\"meter\"}").assertError(422);
        api.post("/api/v1/devices", alice, "{\"name\":\"a\",\"type\":\"sensor\",\"groups\":[\"nope\"]}")
                .assertError(422);
        api.post("/api/v1/devices", alice, "{\"name\":\"" + "x".repeat(129) + "\",\"type\":\"sensor\"}")
                .assertError(400);
        api.post("/api/v1/devices", alice, "{\"id\":\"" + "i".repeat(65) + "\",\"name\":\"a\",\"type\":\"sensor\"}")
                .assertError(400);
        api.post("/api/v1/devices", alice, "{\"id\":\"a/b#\",\"name\":\"a\",\"type\":\"sensor\"}").assertError(400);
        api.post("/api/v1/devices", alice, "{\"name\":\"a\",\"type\":\"sensor\",\"secret\":1}").assertError(400);
        api.post("/api/v1/devices", alice, "{\"name\":\"a\",\"type\":").assertError(400);
        api.post("/api/v1/devices", alice, "{\"type\":\"sensor\"}").assertError(400);
        api.post("/api/v1/devices", alice, "{\"name\":\"a\",\"type\":\"sensor\",\"properties\":{\"big\":\""
                + "b".repeat(17_000) + "\"}}").assertError(400);
        api.post("/api/v1/devices", alice, "{\"name\":\"a\",\"type\":\"sensor\",\"owner\":\"bob\"}")
                .assertError(403);
    }

    @Test
    void shouldSearchFilterAndPage() {
        for (int i = 0; i < 5; i++) {
            api.post("/api/v1/devices", admin, "{\"id\":\"page-" + i + "\",\"name\":\"Pager " + i + "\","
                    + "\"type\":\"sensor\"}").assertStatus(201);
        }
        api.post("/api/v1/devices", admin, "{\"id\":\"page-m\",\"name\":\"Pager meter\",\"type\":\"meter\","
                + "\"properties\":{\"site\":\"x\"}}").assertStatus(201);

        JsonNode page = api.get("/api/v1/devices?q=pager&type=sensor&offset=1&limit=2", admin).assertStatus(200)
                .json();

        assertThat(page.path("total").asLong()).isEqualTo(5);
        assertThat(page.path("offset").asInt()).isEqualTo(1);
        assertThat(page.path("limit").asInt()).isEqualTo(2);
        assertThat(page.path("items")).extracting(n -> n.path("id").asText()).containsExactly("page-1", "page-2");
        // The last page, short, and a page past the end: the total is the same whether it was counted or not.
        JsonNode last = api.get("/api/v1/devices?q=pager&type=sensor&offset=4&limit=2", admin).json();
        assertThat(last.path("total").asLong()).isEqualTo(5);
        assertThat(last.path("items")).extracting(n -> n.path("id").asText()).containsExactly("page-4");
        JsonNode past = api.get("/api/v1/devices?q=pager&type=sensor&offset=10&limit=2", admin).json();
        assertThat(past.path("total").asLong()).isEqualTo(5);
        assertThat(past.path("items")).isEmpty();
        assertThat(api.get("/api/v1/devices?q=PAGER%20M", admin).json().path("total").asLong()).isEqualTo(1);
        assertThat(api.get("/api/v1/devices?status=active&q=pager", admin).json().path("total").asLong())
                .isEqualTo(6);
        assertThat(api.get("/api/v1/devices?status=BLOCKED&q=pager", admin).json().path("total").asLong())
                .isZero();
        api.get("/api/v1/devices?limit=0", admin).assertError(400);
        api.get("/api/v1/devices?limit=1001", admin).assertError(400);
        api.get("/api/v1/devices?offset=-1", admin).assertError(400);
        api.get("/api/v1/devices?offset=abc", admin).assertError(400);
        api.get("/api/v1/devices?status=HAPPY", admin).assertError(400);
        // Nothing has reported: none of them is online yet.
        assertThat(api.get("/api/v1/devices?online=true&q=pager", admin).json().path("total").asLong()).isZero();
        assertThat(api.get("/api/v1/devices?online=FALSE&q=pager", admin).json().path("total").asLong())
                .isEqualTo(api.get("/api/v1/devices?q=pager", admin).json().path("total").asLong());
        api.get("/api/v1/devices?online=maybe", admin).assertError(400);
    }

    @Test
    void shouldTreatSqlMetacharactersInEveryFilterAsPlainText() {
        api.post("/api/v1/devices", admin, "{\"id\":\"sql-1\",\"name\":\"100% safe_name\",\"type\":\"sensor\"}")
                .assertStatus(201);
        for (String trick : SQL_TRICKS) {
            String value = Api.enc(trick);
            for (String filter : List.of("q", "type", "group")) {
                Api.Reply reply = api.get("/api/v1/devices?" + filter + "=" + value, admin);
                reply.assertStatus(200);
                if (!trick.equals("%") && !trick.equals("_")) {
                    assertThat(reply.json().path("total").asLong()).as(filter + "=" + trick).isZero();
                }
            }
            api.get("/api/v1/devices?status=" + value, admin).assertError(400);
        }
        // Wildcards are literal: "%" and "_" find only names that contain them.
        assertThat(api.get("/api/v1/devices?q=%25", admin).json().path("items"))
                .extracting(n -> n.path("id").asText()).containsExactly("sql-1");
        assertThat(api.get("/api/v1/devices?q=_", admin).json().path("items"))
                .extracting(n -> n.path("id").asText()).containsExactly("sql-1");
        assertThat(api.get("/api/v1/devices/sql-1", admin).json().path("name").asText()).isEqualTo("100% safe_name");
    }

    @Test
    void shouldChangeStatusNameAndPropertiesButOwnerOnlyAsAdmin() {
        api.post("/api/v1/devices", alice, "{\"id\":\"chg-1\",\"name\":\"a\",\"type\":\"sensor\"}").assertStatus(201);

        JsonNode changed = api.put("/api/v1/devices/chg-1", alice,
                "{\"status\":\"BLOCKED\",\"name\":\"renamed\",\"properties\":{\"k\":\"v\"}}").assertStatus(200).json();

        assertThat(changed.path("status").asText()).isEqualTo("BLOCKED");
        assertThat(changed.path("name").asText()).isEqualTo("renamed");
        assertThat(changed.path("properties").path("k").asText()).isEqualTo("v");
        api.put("/api/v1/devices/chg-1", alice, "{\"status\":\"GONE\"}").assertError(400);
        api.put("/api/v1/devices/chg-1", alice, "{\"owner\":\"bob\"}").assertError(403);
        api.put("/api/v1/devices/chg-1", admin, "{\"owner\":\"bob\"}").assertStatus(200);
        api.get("/api/v1/devices/chg-1", bob).assertStatus(200);
        api.get("/api/v1/devices/chg-1", alice).assertError(404);
    }

    @Test
    void shouldRotateTheTokenAndDeleteTheDevice() {
        String first = api.post("/api/v1/devices", alice, "{\"id\":\"rot-1\",\"name\":\"a\",\"type\":\"sensor\"}")
                .assertStatus(201).json().path("token").asText();

        JsonNode rotated = api.post("/api/v1/devices/rot-1/token", alice, "").assertStatus(200).json();

        assertThat(rotated.path("token").asText()).hasSize(43).isNotEqualTo(first);
        api.delete("/api/v1/devices/rot-1", alice).assertStatus(204);
        api.get("/api/v1/devices/rot-1", alice).assertError(404);
        api.post("/api/v1/devices/rot-1/token", alice, "").assertError(404);
        api.delete("/api/v1/devices/rot-1", alice).assertError(404);
    }

    @Test
    void shouldHideDevicesNotSharedWithTheCallerBehind404() {
        api.post("/api/v1/devices", alice, "{\"id\":\"private-1\",\"name\":\"a\",\"type\":\"sensor\"}")
                .assertStatus(201);

        api.get("/api/v1/devices/private-1", bob).assertError(404);
        api.put("/api/v1/devices/private-1", bob, "{\"status\":\"BLOCKED\"}").assertError(404);
        api.post("/api/v1/devices/private-1/token", bob, "").assertError(404);
        api.delete("/api/v1/devices/private-1", bob).assertError(404);
        assertThat(api.get("/api/v1/devices?q=private-1", bob).json().path("total").asLong()).isZero();
        api.get("/api/v1/devices/private-1", admin).assertStatus(200);
    }

    @Test
    void shouldLetHoldersOfARoleActOnDevicesOfAGroupSharedWithIt() {
        api.post("/api/v1/devices", alice, "{\"id\":\"shared-1\",\"name\":\"a\",\"type\":\"sensor\"}")
                .assertStatus(201);
        api.post("/api/v1/groups", alice, "{\"id\":\"shared-g\",\"name\":\"Shared\"}").assertStatus(201);
        api.post("/api/v1/groups/shared-g/devices/shared-1", alice, "").assertStatus(200);
        api.get("/api/v1/devices/shared-1", bob).assertError(404);
        api.get("/api/v1/groups/shared-g", bob).assertError(404);

        api.put("/api/v1/groups/shared-g/roles", alice, "{\"roles\":[\"field\"]}").assertStatus(200);

        api.get("/api/v1/devices/shared-1", bob).assertStatus(200);
        assertThat(api.get("/api/v1/groups/shared-g", bob).assertStatus(200).json().path("roles").get(0).asText())
                .isEqualTo("field");
        assertThat(api.get("/api/v1/devices?group=shared-g", bob).json().path("total").asLong()).isEqualTo(1);
        api.put("/api/v1/devices/shared-1", bob, "{\"status\":\"INACTIVE\"}").assertStatus(200);
        api.put("/api/v1/groups/shared-g/roles", alice, "{\"roles\":[]}").assertStatus(200);
        api.get("/api/v1/devices/shared-1", bob).assertError(404);
    }

    @Test
    void shouldHideAnotherTenantsDevicesBehind404() {
        api.post("/api/v1/devices", admin, "{\"id\":\"tenant-a-1\",\"name\":\"a\",\"type\":\"sensor\"}")
                .assertStatus(201);
        api.post("/api/v1/users", admin, "{\"username\":\"tara\",\"password\":\"tara-password\","
                + "\"roles\":[\"admin\"],\"tenant\":\"tenant-b\"}").assertStatus(201);
        String tara = api.login("tara", "tara-password");

        api.get("/api/v1/devices/tenant-a-1", tara).assertError(404);
        api.delete("/api/v1/devices/tenant-a-1", tara).assertError(404);
        assertThat(api.get("/api/v1/devices", tara).json().path("total").asLong()).isZero();
        // The same id may exist once per tenant.
        api.post("/api/v1/device-types", tara, "{\"name\":\"sensor\"}").assertStatus(201);
        api.post("/api/v1/devices", tara, "{\"id\":\"tenant-a-1\",\"name\":\"b\",\"type\":\"sensor\"}")
                .assertStatus(201);
        assertThat(api.get("/api/v1/devices/tenant-a-1", admin).json().path("name").asText()).isEqualTo("a");
    }

    @Test
    void shouldEnrollInBulkFromJsonWithPerRowResults() {
        api.post("/api/v1/groups", admin, "{\"id\":\"bulk-g\",\"name\":\"Bulk\"}").assertStatus(201);
        String body = """
                [{"id": "bulk-1", "name": "B1", "type": "sensor", "groups": ["bulk-g"]},
                 {"id": "bulk-2", "name": "B2", "type": "meter", "properties": {"site": "north"}},
                 {"id": "bulk-1", "name": "again", "type": "sensor"},
                 {"id": "bulk-3", "name": "B3", "type": "no-type"},
                 {"id": "bulk-4", "type": "sensor"},
                 {"id": "bulk-5", "name": "B5", "type": "sensor", "unknown": true},
                 "not an object",
                 {"id": "bulk-6", "name": "B6", "type": "meter"}]
                """;

        JsonNode result = api.post("/api/v1/devices/bulk", admin, body).assertStatus(200).json();

        assertThat(result.path("total").asInt()).isEqualTo(8);
        assertThat(result.path("enrolled").asInt()).isEqualTo(2);
        assertThat(result.path("failed").asInt()).isEqualTo(6);
        JsonNode rows = result.path("results");
        assertThat(rows.get(0).path("status").asText()).isEqualTo("ENROLLED");
        assertThat(rows.get(0).path("token").asText()).hasSize(43);
        assertThat(rows.get(2).path("message").asText()).contains("duplicate");
        assertThat(rows.get(3).path("message").asText()).contains("unknown device type");
        assertThat(rows.get(4).path("message").asText()).contains("name");
        assertThat(rows.get(5).path("message").asText()).contains("unknown");
        assertThat(rows.get(7).path("message").asText()).contains("site");
        assertThat(api.get("/api/v1/devices/bulk-1", admin).json().path("groups").get(0).asText())
                .isEqualTo("bulk-g");
        api.post("/api/v1/devices/bulk", admin, "{\"id\":\"x\"}").assertError(400);
    }

    @Test
    void shouldEnrollInBulkFromCsv() {
        api.post("/api/v1/devices", admin, "{\"id\":\"csv-taken\",\"name\":\"a\",\"type\":\"sensor\"}")
                .assertStatus(201);
        String csv = "id,name,type,site,groups\r\n"
                + "csv-1,\"Sensor, one\",meter,north,\r\n"
                + "csv-2,\"Say \"\"hi\"\"\",sensor,,\r\n"
                + "csv-taken,dup,sensor,,\r\n"
                + "csv-3,short\r\n";

        JsonNode result = api.post("/api/v1/devices/bulk", admin, "text/csv", csv).assertStatus(200).json();

        assertThat(result.path("enrolled").asInt()).isEqualTo(2);
        assertThat(result.path("results").get(2).path("message").asText()).contains("already exists");
        assertThat(result.path("results").get(3).path("status").asText()).isEqualTo("FAILED");
        JsonNode one = api.get("/api/v1/devices/csv-1", admin).json();
        assertThat(one.path("name").asText()).isEqualTo("Sensor, one");
        assertThat(one.path("properties").path("site").asText()).isEqualTo("north");
        assertThat(api.get("/api/v1/devices/csv-2", admin).json().path("name").asText()).isEqualTo("Say \"hi\"");
        api.post("/api/v1/devices/bulk", admin, "text/csv", "just,a,header\n").assertStatus(400);
    }

    @Test
    void shouldRefuseMoreThanTenThousandRowsWith413() {
        List<String> rows = new ArrayList<>();
        IntStream.range(0, 10_001).forEach(i -> rows.add("{\"name\":\"n\",\"type\":\"sensor\"}"));

        api.post("/api/v1/devices/bulk", admin, "[" + String.join(",", rows) + "]").assertError(413);
    }
}
