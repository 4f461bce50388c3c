package io.streamthings.dashboards;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The dashboards: {@code /} is the single page, {@code /ui/*} its modules and styles, {@code /ui/vendor/uplot/*} the
 * chart library from the uPlot webjar. Public on purpose: the API names this class among its public resources, so its
 * deny-by-default scope feature attaches no token check (a static page cannot send one); every API call the page
 * makes sends the signed-in user's token. Only class-path files under our own folder (or uPlot's {@code dist/})
 * with a known extension are served, so no path can reach anything else. Not documented in the OpenAPI document: the
 * API registers it outside the documented resources.
 */
@Path("/")
public class DashboardResource {

    private static final String APP = "/io/streamthings/dashboards/";
    private static final String UPLOT = "/META-INF/resources/webjars/uplot/" + webjarVersion() + "/dist/";
    /** Folders and names of letters, digits, '-', '_' and single dots: no "..", no absolute path. */
    private static final Pattern SAFE = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*(/[a-z0-9_-]+(\\.[a-z0-9_-]+)*)*",
            Pattern.CASE_INSENSITIVE);
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png");
    /** What the page may load and call: only this origin (no CDN, no inline script). */
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    /** Found files only: they are the few this jar ships, whereas a missing path can be anything a client makes up. */
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    /** The single page. */
    @GET
    public Response index(@Context Request request) {
        return serve(request, APP + "index.html", "index.html", revalidate());
    }

    /** A module, style sheet or image of the app. */
    @GET
    @Path("ui/{file: .+}")
    public Response app(@Context Request request, @PathParam("file") String file) {
        return serve(request, APP + file, file, revalidate());
    }

    /** A file of uPlot's {@code dist/} folder; the webjar's version is fixed, so browsers may keep it a day. */
    @GET
    @Path("ui/vendor/uplot/{file}")
    public Response uplot(@Context Request request, @PathParam("file") String file) {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(86_400);
        return serve(request, UPLOT + file, file, cache);
    }

    private Response serve(Request request, String resource, String file, CacheControl cacheControl) {
        String type = SAFE.matcher(file).matches() ? TYPES.get(file.substring(file.lastIndexOf('.') + 1)) : null;
        Asset asset = type == null ? null : cached(resource);
        if (asset == null) {
            throw new NotFoundException();
        }
        Response.ResponseBuilder notModified = request.evaluatePreconditions(asset.etag);
        Response.ResponseBuilder response = notModified != null ? notModified : Response.ok(asset.bytes, type);
        response.tag(asset.etag).cacheControl(cacheControl).header("X-Content-Type-Options", "nosniff");
        if (type.startsWith("text/html")) {
            response.header("Content-Security-Policy", CSP).header("Referrer-Policy", "no-referrer");
        }
        return response.build();
    }

    /** The file, read once and kept; null (and nothing kept) when there is no such file. */
    private Asset cached(String resource) {
        Asset asset = cache.get(resource);
        if (asset == null) {
            asset = load(resource);
            if (asset == null) {
                return null;
            }
            cache.putIfAbsent(resource, asset);
        }
        return asset;
    }

    /** How many files are kept in memory. */
    int cachedAssets() {
        return cache.size();
    }

    /** Always ask the server, which answers 304 while the file is unchanged: app file names carry no version. */
    private static CacheControl revalidate() {
        CacheControl cache = new CacheControl();
        cache.setNoCache(true);
        return cache;
    }

    private static Asset load(String resource) {
        try (InputStream in = DashboardResource.class.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            byte[] bytes = in.readAllBytes();
            CRC32 crc = new CRC32();
            crc.update(bytes);
            return new Asset(bytes, new EntityTag(Long.toHexString(crc.getValue()) + "-" + bytes.length));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Asset(byte[] bytes, EntityTag etag) {}

    /** The uPlot webjar's version, read from the jar itself so the pom alone decides it. */
    private static String webjarVersion() {
        try (InputStream in = DashboardResource.class.getResourceAsStream(
                "/META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "1.6.30");
        } catch (IOException e) {
            return "1.6.30";
        }
    }
}
