package io.streamthings.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/** The few device-management calls the simulator needs: a token, a device type, bulk enrollment, token rotation. */
public final class ApiClient {

    private static final int BULK_CHUNK = 1_000;
    private static final int ROTATIONS_IN_FLIGHT = 32;

    private final URI api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private String token;

    public ApiClient(URI api) {
        this.api = api;
    }

    /** Uses an access token obtained elsewhere. */
    public void useToken(String accessToken) {
        this.token = accessToken;
    }

    /** Gets an access token with the password grant. */
    public void login(String user, String password) throws IOException, InterruptedException {
        String form = "grant_type=password&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        JsonNode body = call(HttpRequest.newBuilder(api.resolve(api.getPath() + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)), 200);
        token = body.path("access_token").asText();
    }

    /**
     * Creates the device type, or updates it when it exists (409) so that a type from an earlier version of the
     * simulator gains the features its devices now run.
     */
    public void ensureDeviceType(String name) throws IOException, InterruptedException {
        ObjectNode type = deviceType(name);
        HttpResponse<String> r = send(authorized("/device-types")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(type))));
        if (r.statusCode() == 409) {
            r = send(authorized("/device-types/" + URLEncoder.encode(name, StandardCharsets.UTF_8))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(type))));
            if (r.statusCode() != 200) {
                System.err.printf("device type %s exists and could not be updated (%d %s): operations its features "
                        + "lack will be refused%n", name, r.statusCode(), r.body());
            }
            return;
        }
        if (r.statusCode() != 201) {
            throw new IOException("could not create device type " + name + ": " + r.statusCode() + " " + r.body());
        }
    }

    /**
     * The simulated sensor: its metrics and the features its devices run ({@code reboot}, {@code set-interval} with
     * an integer {@code interval} in seconds, {@code buzz}), so that the platform validates operations against them.
     */
    static ObjectNode deviceType(String name) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode type = json.createObjectNode().put("name", name)
                .put("description", "simulated sensor (device-simulator)");
        ArrayNode metrics = type.putArray("metrics");
        metrics.addObject().put("name", "temperature").put("unit", "C").put("type", "number");
        metrics.addObject().put("name", "humidity").put("unit", "%").put("type", "number");
        metrics.addObject().put("name", "pressure").put("unit", "hPa").put("type", "number");
        type.putArray("transports").add("mqtt").add("http");
        ArrayNode features = type.putArray("features");
        ObjectNode reboot = features.addObject().put("code", "reboot").put("name", "Reboot")
                .put("description", "goes offline for a few seconds and comes back");
        reboot.putObject("params").put("type", "object");
        ObjectNode interval = features.addObject().put("code", "set-interval").put("name", "Set publish interval")
                .put("description", "the device publishes once per interval (seconds) at most");
        ObjectNode schema = interval.putObject("params").put("type", "object");
        schema.putObject("properties").putObject("interval").put("type", "integer").put("minimum", 1)
                .put("maximum", 86_400);
        schema.putArray("required").add("interval");
        ObjectNode buzz = features.addObject().put("code", "buzz").put("name", "Buzz")
                .put("description", "does nothing and reports done (for demos and benchmarks)");
        buzz.putObject("params").put("type", "object");
        return type;
    }

    /** Creates the group unless it exists (409). */
    public void ensureGroup(String id) throws IOException, InterruptedException {
        ObjectNode group = json.createObjectNode().put("id", id).put("name", id);
        HttpResponse<String> r = send(authorized("/groups").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(group))));
        if (r.statusCode() != 201 && r.statusCode() != 409) {
            throw new IOException("could not create group " + id + ": " + r.statusCode() + " " + r.body());
        }
    }

    /**
     * Enrolls devices in bulk, 1,000 per request; a device that exists already (an earlier run's) gets a new token
     * instead, so a run can be repeated with the same prefix.
     *
     * @return device id to token, for the devices enrolled or reused
     */
    public Map<String, String> enrollOrReuse(List<String> ids, String type, String group)
            throws IOException, InterruptedException {
        Map<String, String> tokens = new LinkedHashMap<>();
        List<String> existing = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += BULK_CHUNK) {
            ArrayNode rows = json.createArrayNode();
            for (String id : ids.subList(from, Math.min(ids.size(), from + BULK_CHUNK))) {
                ObjectNode row = rows.addObject().put("id", id).put("name", "Simulated " + id).put("type", type);
                if (group != null) {
                    row.putArray("groups").add(group);
                }
            }
            JsonNode result = call(authorized("/devices/bulk").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(rows))), 200);
            for (JsonNode row : result.path("results")) {
                if ("ENROLLED".equals(row.path("status").asText())) {
                    tokens.put(row.path("id").asText(), row.path("token").asText());
                } else if (row.path("message").asText().endsWith("already exists")) {
                    existing.add(row.path("id").asText());
                } else {
                    System.err.println("not enrolled: " + row.path("id").asText() + ": "
                            + row.path("message").asText());
                }
            }
        }
        if (!existing.isEmpty()) {
            System.out.printf("%d devices exist from an earlier run: rotating their tokens%n", existing.size());
            tokens.putAll(rotateTokens(existing));
            if (group != null) {
                addToGroup(group, existing);
            }
        }
        return tokens;
    }

    /** Rotates the tokens of existing devices, {@value #ROTATIONS_IN_FLIGHT} requests at a time. */
    private Map<String, String> rotateTokens(List<String> ids) throws InterruptedException {
        Map<String, String> tokens = new ConcurrentHashMap<>();
        Semaphore inFlight = new Semaphore(ROTATIONS_IN_FLIGHT);
        for (String id : ids) {
            inFlight.acquire();
            http.sendAsync(authorized("/devices/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/token")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> {
                        try {
                            if (e == null && r.statusCode() == 200) {
                                tokens.put(id, json.readTree(r.body()).path("token").asText());
                            } else {
                                System.err.println("not reused: " + id + ": "
                                        + (e != null ? e.getMessage() : r.statusCode() + " " + r.body()));
                            }
                        } catch (IOException parse) {
                            System.err.println("not reused: " + id + ": " + parse.getMessage());
                        } finally {
                            inFlight.release();
                        }
                    });
        }
        inFlight.acquire(ROTATIONS_IN_FLIGHT);
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String id : ids) {
            if (tokens.containsKey(id)) {
                ordered.put(id, tokens.get(id));
            }
        }
        return ordered;
    }

    /** Puts devices of an earlier run into the group (a device there already answers 409, which is fine). */
    private void addToGroup(String group, List<String> ids) throws InterruptedException {
        Semaphore inFlight = new Semaphore(ROTATIONS_IN_FLIGHT);
        for (String id : ids) {
            inFlight.acquire();
            http.sendAsync(authorized("/groups/" + URLEncoder.encode(group, StandardCharsets.UTF_8) + "/devices/"
                    + URLEncoder.encode(id, StandardCharsets.UTF_8)).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                        if (e != null || (r.statusCode() / 100 != 2 && r.statusCode() != 409)) {
                            System.err.println("not added to group " + group + ": " + id + ": "
                                    + (e != null ? e.getMessage() : r.statusCode() + " " + r.body()));
                        }
                        inFlight.release();
                    });
        }
        inFlight.acquire(ROTATIONS_IN_FLIGHT);
    }

    private HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(api.resolve(api.getPath() + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60));
    }

    private JsonNode call(HttpRequest.Builder request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> r = send(request);
        if (r.statusCode() != expected) {
            throw new IOException(r.request().method() + " " + r.request().uri() + " answered " + r.statusCode()
                    + ": " + r.body());
        }
        return json.readTree(r.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
