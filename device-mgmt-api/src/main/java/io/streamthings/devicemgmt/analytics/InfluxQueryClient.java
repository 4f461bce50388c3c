package io.streamthings.devicemgmt.analytics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs InfluxQL reads through the InfluxDB 1.x HTTP API ({@code POST /query}, which 2.x and 3.x also accept through
 * their v1 compatibility endpoints), with bound parameters and times in epoch milliseconds.
 */
public class InfluxQueryClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI queryUri;
    private final String database;
    private final ObjectMapper json;

    /** For the server at {@code url} (e.g. {@code http://localhost:8086}) and one database. */
    public InfluxQueryClient(String url, String database, ObjectMapper json) {
        this.queryUri = URI.create(url.replaceAll("/+$", "") + "/query");
        this.database = database;
        this.json = json;
    }

    /**
     * Runs one or more statements (separated by {@code ;}) and answers, per statement, the rows of its first series
     * as {@code [time, value, ...]} arrays; a statement that found nothing, or ran on a database or retention policy
     * that does not exist yet (nothing was ever written), answers no rows.
     *
     * @throws InfluxUnavailableException when InfluxDB cannot be reached or fails
     * @throws IllegalStateException when InfluxDB refuses a statement (a bug here, not the caller's)
     */
    public List<Result> query(String statements, Map<String, String> params) {
        String body = form("db", database) + "&" + form("epoch", "ms") + "&" + form("q", statements) + "&"
                + form("params", write(params));
        HttpRequest request = HttpRequest.newBuilder(queryUri)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new InfluxUnavailableException("the time-series store is unavailable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfluxUnavailableException("interrupted while querying the time-series store", e);
        }
        if (response.statusCode() >= 500) {
            throw new InfluxUnavailableException("the time-series store is unavailable",
                    new IOException("InfluxDB answered " + response.statusCode() + ": " + response.body()));
        }
        JsonNode root = read(response.body());
        if (response.statusCode() != 200 || root.hasNonNull("error")) {
            throw new IllegalStateException("InfluxDB refused a query (" + response.statusCode() + "): "
                    + root.path("error").asText(response.body()));
        }
        List<Result> results = new ArrayList<>();
        for (JsonNode r : root.path("results")) {
            String error = r.path("error").asText(null);
            if (error != null && !error.contains("not found")) {
                throw new IllegalStateException("InfluxDB refused a statement: " + error);
            }
            JsonNode series = r.path("series").path(0);
            results.add(new Result(series.path("columns"), series.path("values")));
        }
        return results;
    }

    /**
     * The answer to one statement.
     *
     * @param columns column names, {@code time} first; empty when nothing was found
     * @param rows one array per row, in column order; empty when nothing was found
     */
    public record Result(JsonNode columns, JsonNode rows) {}

    private JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InfluxUnavailableException("the time-series store answered garbage", e);
        }
    }

    private String write(Map<String, String> params) {
        try {
            return json.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings are JSON", e);
        }
    }

    private static String form(String name, String value) {
        return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
