package io.streamthings.devicemgmt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.streamthings.devicemgmt.support.Api;
import io.streamthings.devicemgmt.support.AppUnderTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Posts mutated JSON bodies to the running API, as a seeded generator (Jazzer's in-process fuzzing does not fit an
 * HTTP server in another thread): each valid body of a write endpoint is cut, spliced, retyped, nested, padded and
 * salted with control characters, and every answer must be a success or a clear 4xx in API.md's error form, never a
 * 5xx, a stack trace or a hang (each request has the client's time limit).
 *
 * <p>The suite sends {@value #DEFAULT_BODIES} bodies from seed {@value #DEFAULT_SEED}; {@code -Dfuzz.bodies=N} and
 * {@code -Dfuzz.seed=S} make a longer run (benchmarks/README.md). A failure names the seed, the request and the body.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class JsonBodyFuzzIT {

    static final int DEFAULT_BODIES = 400;
    static final long DEFAULT_SEED = 15L;

    private static final AppUnderTest APP = AppUnderTest.create("json_fuzz_it");
    static final DropwizardAppExtension<DeviceMgmtConfiguration> EXT = APP.extension();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Method, path and a valid body of each JSON write endpoint this engineer's area reaches. */
    private static final String[][] SEEDS = {
        {"POST", "/api/v1/device-types", """
            {"name": "thermo", "description": "a thermostat",
             "metrics": [{"name": "temperature", "unit": "°C", "type": "number", "min": -40, "max": 125}]}"""},
        {"PUT", "/api/v1/device-types/fuzz-type", """
            {"name": "fuzz-type", "description": "d", "metrics": [{"name": "t", "min": 0, "max": 1}]}"""},
        {"POST", "/api/v1/devices", """
            {"id": "d-1", "name": "one", "type": "fuzz-type", "properties": {"site": "north"}, "groups": ["g-1"]}"""},
        {"PUT", "/api/v1/devices/fuzz-dev", """
            {"name": "renamed", "status": "BLOCKED", "properties": {"floor": "2"}}"""},
        {"POST", "/api/v1/devices/bulk", """
            [{"id": "b-1", "name": "B1", "type": "fuzz-type"}, {"id": "b-2", "name": "B2", "type": "fuzz-type"}]"""},
        {"POST", "/api/v1/groups", """
            {"id": "g-1", "name": "Group one", "description": "x"}"""},
        {"POST", "/api/v1/rules/validate", """
            {"app": "@App:name('hot')\\ndefine stream TelemetryStream (deviceId string, ts long, temperature double);\\nfrom TelemetryStream[temperature > 90.0] select deviceId, ts, temperature insert into AlertStream;",
             "events": [{"deviceId": "d1", "ts": 1000, "metrics": {"temperature": 95.5}, "tags": {"site": "a"}}]}"""},
        {"POST", "/api/v1/alerts/1/acknowledge", "{}"},
    };

    private static final String[] ODD_VALUES = {"null", "true", "-1", "0", "1e309", "-9223372036854775809",
        "123456789012345678901234567890", "\"\"", "\"\\u0000\"", "\"\\ud800\"", "[]", "{}", "[[[[[[[[[[]]]]]]]]]]",
        "\"" + "x".repeat(5_000) + "\"", "\"../../etc\"", "\"a/b\"", "\"%00\"", "\"' OR 1=1 --\"", "\"${HOME}\""};

    /** Characters that break JSON or what is stored from it. */
    private static final String DAMAGE = "{}[]\",:\\\u0000\u001f\n\uFFFF\uD83D";

    private static Api api;
    private static String admin;

    @BeforeAll
    static void login() {
        api = APP.api();
        admin = api.login("admin", APP.adminPassword());
        api.post("/api/v1/device-types", admin, "{\"name\":\"fuzz-type\"}").assertStatus(201);
        api.post("/api/v1/devices", admin, "{\"id\":\"fuzz-dev\",\"name\":\"f\",\"type\":\"fuzz-type\"}")
                .assertStatus(201);
    }

    @Test
    void noMutatedJsonBodyGetsA5xxOrAStackTrace() {
        long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
        int bodies = Integer.getInteger("fuzz.bodies", DEFAULT_BODIES);
        Random random = new Random(seed);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < bodies && failures.size() < 10; i++) {
            String[] target = SEEDS[random.nextInt(SEEDS.length)];
            String body = mutate(target[2], random);
            Api.Reply reply = target[0].equals("PUT") ? api.put(target[1], admin, body)
                    : api.post(target[1], admin, body);
            String problem = problem(reply);
            if (problem != null) {
                failures.add("seed " + seed + ", body " + i + ": " + target[0] + " " + target[1] + " -> "
                        + reply.status() + " " + problem + "\n  body: " + abbreviate(body) + "\n  answer: "
                        + abbreviate(reply.body()));
            }
        }
        assertThat(failures).as("answers that are not a success or a clear 4xx").isEmpty();
    }

    /** Null when the answer is a success or a clear 4xx in API.md's error form, else what is wrong with it. */
    private static String problem(Api.Reply reply) {
        if (reply.status() >= 500) {
            return "a server error";
        }
        String body = reply.body();
        if (body.contains("\tat ") || body.contains(".java:") || body.contains("Exception")) {
            return "a stack trace or exception name in the answer";
        }
        if (reply.status() >= 400) {
            try {
                JsonNode error = JSON.readTree(body);
                if (error.path("code").asInt() != reply.status() || error.path("message").asText().isBlank()) {
                    return "an error without code and message";
                }
            } catch (Exception e) {
                return "an error answer that is not JSON";
            }
        }
        return null;
    }

    /** One to three mutations of a valid body: structure-aware splices and byte-level damage. */
    static String mutate(String seed, Random random) {
        String s = seed;
        int rounds = 1 + random.nextInt(3);
        for (int r = 0; r < rounds; r++) {
            int at = s.isEmpty() ? 0 : random.nextInt(s.length());
            switch (random.nextInt(9)) {
                case 0 -> s = s.substring(0, at); // cut short
                case 1 -> s = s.substring(0, at) + s.substring(Math.min(s.length(), at + 1 + random.nextInt(8)));
                case 2 -> s = s.substring(0, at) + DAMAGE.charAt(random.nextInt(DAMAGE.length())) + s.substring(at);
                case 3 -> s = replaceValue(s, ODD_VALUES[random.nextInt(ODD_VALUES.length)], random);
                case 4 -> s = "[".repeat(1 + random.nextInt(3_000)) + s; // deep nesting
                case 5 -> s = s.substring(0, at) + s.substring(at, Math.min(s.length(), at + 40)).repeat(
                        1 + random.nextInt(50)) + s.substring(at); // duplicated chunk, duplicate keys
                case 6 -> s = s.replace("\"name\"", "\"" + "n".repeat(random.nextInt(300)) + "\"");
                case 7 -> s = s.replaceFirst(":\\s*\"", java.util.regex.Matcher.quoteReplacement(": "
                        + ODD_VALUES[random.nextInt(ODD_VALUES.length)] + ", \"x\": \""));
                default -> s = s.isEmpty() ? s : s.substring(at) + s.substring(0, at); // rotated
            }
        }
        return s;
    }

    /** Replaces the value after a random {@code ":"} with another JSON value. */
    private static String replaceValue(String s, String value, Random random) {
        List<Integer> colons = new ArrayList<>();
        for (int i = s.indexOf(':'); i >= 0; i = s.indexOf(':', i + 1)) {
            colons.add(i);
        }
        if (colons.isEmpty()) {
            return s;
        }
        int at = colons.get(random.nextInt(colons.size())) + 1;
        int end = at;
        int depth = 0;
        boolean quoted = false;
        while (end < s.length()) {
            char c = s.charAt(end);
            if (c == '"' && s.charAt(end - 1) != '\\') {
                quoted = !quoted;
            } else if (!quoted && (c == '{' || c == '[')) {
                depth++;
            } else if (!quoted && (c == '}' || c == ']')) {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                break;
            }
            end++;
        }
        return s.substring(0, at) + " " + value + s.substring(end);
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "... (" + s.length() + " chars)";
    }
}
