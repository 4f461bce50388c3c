package io.streamthings.rules.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamthings.rules.catalog.CatalogCodec;
import io.streamthings.rules.catalog.RuleDefinition;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RuleCatalogTest {

    private final RuleCatalog catalog = new RuleCatalog("localhost:1");

    @Test
    void shouldReportEachChangedKeyWithItsDefinitionNow() {
        catalog.apply("acme/hot", encode("acme", "hot", 1));
        catalog.apply("acme/cold", encode("acme", "cold", 1));
        catalog.apply("acme/hot", encode("acme", "hot", 2));

        RuleCatalog.Change first = catalog.nextChange();
        assertThat(first.key()).isEqualTo("acme/hot");
        assertThat(first.definition().version()).isEqualTo(2);
        assertThat(catalog.nextChange().key()).isEqualTo("acme/cold");
        assertThat(catalog.nextChange().definition().version()).isEqualTo(2);
        assertThat(catalog.nextChange()).isNull();
    }

    @Test
    void shouldReportARemovedKeyWithoutADefinition() {
        catalog.apply("acme/hot", encode("acme", "hot", 1));
        catalog.apply("acme/hot", null);

        assertThat(catalog.nextChange().definition()).isNull();
        assertThat(catalog.nextChange()).isEqualTo(new RuleCatalog.Change("acme/hot", null));
    }

    @Test
    void shouldSkipARecordWithoutAKeyOrThatDoesNotDecode() {
        catalog.apply("acme/hot", encode("acme", "hot", 1));
        catalog.nextChange();

        catalog.apply(null, encode("acme", "cold", 1));
        catalog.apply("acme/hot", "not json".getBytes(StandardCharsets.UTF_8));

        assertThat(catalog.nextChange()).isNull();
    }

    private static byte[] encode(String tenant, String name, int version) {
        return CatalogCodec.encode(new RuleDefinition(tenant, name, version,
                "define stream TelemetryStream (deviceId string, ts long);", 1L));
    }
}
