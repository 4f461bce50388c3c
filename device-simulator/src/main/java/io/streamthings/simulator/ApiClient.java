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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The few device-management calls the simulator needs: a token, a device type, bulk enrollment. */
public final class ApiClient {

    private static final int BULK_CHUNK = 1_000;

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

    /** Creates the device type unless it exists (409). */
    public void ensureDeviceType(String name) throws IOException, InterruptedException {
        ObjectNode type = json.createObjectNode().put("name", name)
                .put("description", "simulated sensor (device-simulator)");
        ArrayNode metrics = type.putArray("metrics");
        metrics.addObject().put("name", "temperature").put("unit", "C").put("type", "number");
        metrics.addObject().put("name", "humidity").put("unit", "%").put("type", "number");
        metrics.addObject().put("name", "pressure").put("unit", "hPa").put("type", "number");
        type.putArray("transports").add("mqtt").add("http");
        HttpResponse<String> r = send(authorized("/device-types")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(type))));
        if (r.statusCode() != 201 && r.statusCode() != 409) {
            throw new IOException("could not create device type " + name + ": " + r.statusCode() + " " + r.body());
        }
    }

    /**
     * Enrolls devices in bulk, 1,000 per request.
     *
     * @return device id to token, for the rows that were enrolled
     */
    public Map<String, String> enroll(List<String> ids, String type) throws IOException, InterruptedException {
        Map<String, String> tokens = new LinkedHashMap<>();
        for (int from = 0; from < ids.size(); from += BULK_CHUNK) {
            ArrayNode rows = json.createArrayNode();
            for (String id : ids.subList(from, Math.min(ids.size(), from + BULK_CHUNK))) {
                rows.addObject().put("id", id).put("name", "Simulated " + id).put("type", type);
            }
            JsonNode result = call(authorized("/devices/bulk").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(rows))), 200);
            for (JsonNode row : result.path("results")) {
                if ("ENROLLED".equals(row.path("status").asText())) {
                    tokens.put(row.path("id").asText(), row.path("token").asText());
                } else {
                    System.err.println("not enrolled: " + row.path("id").asText() + ": "
                            + row.path("message").asText());
                }
            }
        }
        return tokens;
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
