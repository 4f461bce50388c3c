package io.streamthings.ingest.http;

import io.streamthings.common.telemetry.BatchDecodeResult.Rejection;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON answers of the ingest endpoints, errors in API.md's form {@code {"code", "message", "details"?}}. */
final class IngestResponses {

    private IngestResponses() {}

    static Response error(int status, String message) {
        return error(status, message, List.of());
    }

    static Response error(int status, String message, List<String> details) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", status);
        body.put("message", message);
        if (!details.isEmpty()) {
            body.put("details", details);
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    static Response retryLater(int status, String message, long retryAfterSeconds) {
        return Response.fromResponse(error(status, message))
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds))
                .build();
    }

    static Response unauthorized(String message) {
        return Response.fromResponse(error(401, message))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"streamthings-devices\"")
                .build();
    }

    /** 202 with {@code {"accepted": n, "rejected": [{"index", "message"}]}}. */
    static Response accepted(int accepted, List<Rejection> rejected) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepted", accepted);
        body.put("rejected", rejections(rejected));
        return Response.status(202).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    /** 400 for a payload whose every record was refused; the details list them all. */
    static Response allRejected(List<Rejection> rejected) {
        List<String> details = new ArrayList<>(rejected.size());
        for (Rejection r : rejected) {
            details.add(r.index() < 0 ? r.message() : "[" + r.index() + "] " + r.message());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", 400);
        body.put("message", rejected.get(0).message());
        body.put("details", details);
        body.put("accepted", 0);
        body.put("rejected", rejections(rejected));
        return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    private static List<Map<String, Object>> rejections(List<Rejection> rejected) {
        List<Map<String, Object>> list = new ArrayList<>(rejected.size());
        for (Rejection r : rejected) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("index", r.index());
            entry.put("message", r.message());
            list.add(entry);
        }
        return list;
    }
}
