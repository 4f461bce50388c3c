package io.streamthings.edge.source;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streamthings.common.telemetry.BatchDecodeResult;
import io.streamthings.common.telemetry.TelemetryCodec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A local HTTP port for sensors that can POST: {@code POST /telemetry} with one record or an array in the platform's
 * JSON format answers {@code 202 {"accepted": n, "rejected": [...]}} once the records are handed to the rules, 400
 * when none is valid, 413 above 1 MiB, 405 for other methods. Listens on loopback unless told otherwise: it has no
 * authentication.
 */
public final class HttpSource implements Source {

    private static final int MAX_BODY = 1024 * 1024;

    private final String host;
    private final int port;
    private final TelemetryCodec codec = new TelemetryCodec();
    private HttpServer server;

    public HttpSource(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public String name() {
        return "http:" + port;
    }

    /** The bound port (useful when 0 was asked). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void start(SourceSink sink) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 64);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "source-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/telemetry", exchange -> handle(exchange, sink));
        server.start();
    }

    private void handle(HttpExchange exchange, SourceSink sink) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                reply(exchange, 405, "{\"code\":405,\"message\":\"POST a record or an array of records\"}");
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            if (body.length > MAX_BODY) {
                reply(exchange, 413, "{\"code\":413,\"message\":\"the body is larger than 1 MiB\"}");
                return;
            }
            BatchDecodeResult result = codec.decodeBatch(body, System.currentTimeMillis());
            StringBuilder rejected = new StringBuilder();
            for (BatchDecodeResult.Rejection r : result.rejected()) {
                sink.rejected(name(), r.message());
                rejected.append(rejected.length() == 0 ? "" : ",").append("{\"index\":").append(r.index())
                        .append(",\"message\":\"").append(escape(r.message())).append("\"}");
            }
            for (BatchDecodeResult.Accepted a : result.accepted()) {
                sink.accept(a.record(), this, -1);
            }
            int code = result.accepted().isEmpty() && !result.rejected().isEmpty() ? 400 : 202;
            reply(exchange, code, "{\"accepted\":" + result.accepted().size() + ",\"rejected\":[" + rejected + "]}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(exchange, 503, "{\"code\":503,\"message\":\"the runtime is stopping\"}");
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static void reply(HttpExchange exchange, int code, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
