package io.streamthings.devicemgmt.kafka;

import io.streamthings.common.alert.AlertEvent;
import io.streamthings.common.influx.LineProtocol;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes alert firings to the InfluxDB measurement {@code alerts} over the 1.x HTTP line protocol: tags tenant, rule,
 * deviceId, severity, source; fields message and every numeric, boolean or text value that fired. The history of
 * firings lives here; the state of each alert (open, acknowledged, cleared) lives in PostgreSQL.
 */
final class InfluxAlertWriter {

    /** Values an alert carries that the point holds elsewhere. */
    private static final Set<String> NOT_FIELDS = Set.of("tenant", "rule", "deviceId", "severity", "source", "message",
            "ts");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI writeUri;

    InfluxAlertWriter(String url, String database) {
        this.writeUri = URI.create(url.replaceAll("/+$", "") + "/write?precision=ms&db="
                + URLEncoder.encode(database, StandardCharsets.UTF_8));
    }

    /** @throws IOException when InfluxDB does not take the points */
    void write(List<AlertEvent> alerts) throws IOException, InterruptedException {
        if (alerts.isEmpty()) {
            return;
        }
        StringBuilder body = new StringBuilder(alerts.size() * 160);
        for (AlertEvent a : alerts) {
            line(body, a);
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(writeUri)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("InfluxDB answered " + response.statusCode() + ": " + response.body());
        }
    }

    static void line(StringBuilder out, AlertEvent a) {
        out.append("alerts,tenant=").append(tag(a.tenant()))
                .append(",rule=").append(tag(a.rule()))
                .append(",severity=").append(tag(a.severity()))
                .append(",source=").append(tag(a.source()));
        if (a.deviceId() != null) {
            out.append(",deviceId=").append(tag(a.deviceId()));
        }
        out.append(" message=").append(text(a.message()));
        for (Map.Entry<String, Object> v : a.values().entrySet()) {
            Object value = v.getValue();
            String key = field(v.getKey());
            if (NOT_FIELDS.contains(v.getKey()) || value == null) {
                continue; // already a tag, the message field or the point's time
            }
            if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
                continue; // InfluxDB has no NaN or infinity
            }
            out.append(',').append(key).append('=');
            if (value instanceof Number n) {
                // Always a float: a field's type is fixed by its first point, and rules mix 3 and 3.5.
                out.append(n.doubleValue());
            } else if (value instanceof Boolean b) {
                out.append(b);
            } else {
                out.append(text(value.toString()));
            }
        }
        out.append(' ').append(a.ts()).append('\n');
    }

    /** Tags and field keys as InfluxDB reads them back (a trailing backslash or a newline cannot break the batch). */
    private static String tag(String value) {
        return LineProtocol.escapeKey(value);
    }

    private static String field(String key) {
        return tag(key);
    }

    private static String text(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2);
        LineProtocol.appendFieldString(out, value);
        return out.toString();
    }
}
