package io.streamthings.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchmarkArgsTest {

    @Test
    void shouldTakeSeveralPairsFromOneArgumentAsMavenPassesAProperty() {
        Map<String, String> opts = BenchmarkArgs.parse(new String[] {"out=/tmp/x.md", " records=1000000  rounds=1 "});

        assertThat(opts).containsEntry("records", "1000000").containsEntry("rounds", "1")
                .containsEntry("out", "/tmp/x.md").hasSize(3);
    }

    @Test
    void shouldLetALaterPairReplaceAnEarlierOne() {
        Map<String, String> opts = BenchmarkArgs.parse(new String[] {"records=2000000", "records=500000"});

        assertThat(opts).containsEntry("records", "500000");
    }

    @Test
    void shouldRejectAnArgumentWithoutAKey() {
        assertThatThrownBy(() -> BenchmarkArgs.parse(new String[] {"records=1 1000"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not 1000");
    }

    @Test
    void shouldTakeNoArgumentsAsNoPairs() {
        assertThat(BenchmarkArgs.parse(new String[] {"", "  "})).isEmpty();
    }
}
