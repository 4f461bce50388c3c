package io.streamthings.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.embedded.Ports;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the end-to-end tests of the platform share: free ports, the admin's token, a field of a JSON answer. */
final class StandaloneTestSupport {

    private StandaloneTestSupport() {}

    /** A config on six distinct free ports, bound to loopback. */
    static StandaloneConfig freePorts(Path dataDir) {
        Set<Integer> ports = new LinkedHashSet<>();
        while (ports.size() < 6) {
            ports.add(Ports.free());
        }
        var it = ports.iterator();
        return new StandaloneConfig(dataDir, "127.0.0.1", it.next(), it.next(), it.next(), it.next(), it.next(),
                it.next());
    }

    /** The first admin's access token, through the token endpoint as a user would get it. */
    static String adminToken(HttpClient http, String api, String password) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=admin&password="
                        + URLEncoder.encode(password, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return field(response.body(), "access_token");
    }

    /** A string field of a JSON answer, asserting it is there. */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return m.group(1);
    }
}
