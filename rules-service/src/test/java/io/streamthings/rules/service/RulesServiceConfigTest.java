package io.streamthings.rules.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesServiceConfigTest {

    @TempDir
    Path dir;

    @Test
    void shouldDefaultToALocalBrokerAndTheSharedGroup() {
        RulesServiceConfig c = RulesServiceConfig.defaults();

        assertThat(c.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(c.groupId()).isEqualTo("streamthings-rules");
        assertThat(c.instanceId()).isEqualTo(RulesServiceConfig.defaultInstanceId());
        assertThat(c.groupInstanceId()).isNull();
        assertThat(c.staticMember()).isFalse();
        assertThat(c.snapshotInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.statusInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.startFrom()).isEqualTo("latest");
        assertThat(c.maxPollRecords()).isEqualTo(2_000);
        assertThat(c.alertLingerMs()).isEqualTo(5);
        assertThat(c.forwardLingerMs()).isEqualTo(10);
    }

    @Test
    void shouldReadAnEmptyGroupInstanceIdAsADynamicMember() {
        assertThat(RulesServiceConfig.builder().groupInstanceId(" ").build().staticMember()).isFalse();
        assertThat(RulesServiceConfig.builder().groupInstanceId("a").build().staticMember()).isTrue();
    }

    @Test
    void shouldRefuseEachBadValueNamingItsKey() {
        assertRefused(RulesServiceConfig.builder().bootstrapServers(" "), "bootstrapServers");
        assertRefused(RulesServiceConfig.builder().groupId(null), "groupId");
        assertRefused(RulesServiceConfig.builder().instanceId(""), "instanceId");
        assertRefused(RulesServiceConfig.builder().snapshotInterval(Duration.ZERO), "snapshotInterval");
        assertRefused(RulesServiceConfig.builder().statusInterval(Duration.ofSeconds(-1)), "statusInterval");
        assertRefused(RulesServiceConfig.builder().startFrom("beginning"), "startFrom");
        assertRefused(RulesServiceConfig.builder().maxPollRecords(0), "maxPollRecords");
        assertRefused(RulesServiceConfig.builder().alertLingerMs(-1), "alertLingerMs");
        assertRefused(RulesServiceConfig.builder().forwardLingerMs(RulesServiceConfig.MAX_LINGER_MS + 1),
                "forwardLingerMs");
    }

    @Test
    void shouldLoadTheShippedConfigFile() throws IOException {
        RulesServiceConfig c = RulesMain.load(Path.of("config.yml"));

        assertThat(c).isEqualTo(RulesServiceConfig.builder().instanceId(c.instanceId()).build());
    }

    @Test
    void shouldLoadYamlKeysAndKeepDefaultsForTheRest() throws IOException {
        Path file = Files.writeString(dir.resolve("rules.yml"),
                "bootstrapServers: kafka:9093\nsnapshotInterval: PT1S\nstartFrom: earliest\n");

        RulesServiceConfig c = RulesMain.load(file);

        assertThat(c.bootstrapServers()).isEqualTo("kafka:9093");
        assertThat(c.snapshotInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.startFrom()).isEqualTo("earliest");
        assertThat(c.groupId()).isEqualTo("streamthings-rules");
    }

    @Test
    void shouldRefuseAFileWithABadValueNamingFileAndKey() throws IOException {
        Path file = Files.writeString(dir.resolve("rules.yml"), "maxPollRecords: 0\n");

        assertThatThrownBy(() -> RulesMain.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rules.yml")
                .hasMessageContaining("maxPollRecords");
    }

    @Test
    void shouldRefuseAnUnknownKey() throws IOException {
        Path file = Files.writeString(dir.resolve("rules.yml"), "bootstrapServer: kafka:9093\n");

        assertThatThrownBy(() -> RulesMain.load(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("bootstrapServer");
    }

    private static void assertRefused(RulesServiceConfig.Builder builder, String key) {
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(key + ":");
    }
}
