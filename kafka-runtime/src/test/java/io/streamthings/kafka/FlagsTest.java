package io.streamthings.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamthings.kafka.Flags.Flag;
import org.junit.jupiter.api.Test;

class FlagsTest {

    @Test
    void shouldReadBothFormsInOrder() {
        assertThat(Flags.parse("--kafka.bootstrap", "k:9092", "--parallelism=4", "--tag=a=b", "--empty="))
                .containsExactly(new Flag("kafka.bootstrap", "k:9092"), new Flag("parallelism", "4"),
                        new Flag("tag", "a=b"), new Flag("empty", ""));
    }

    @Test
    void shouldKeepAFlagGivenTwiceSoTheLastAssignmentWins() {
        assertThat(Flags.parse("--port", "1", "--port", "2")).extracting(Flag::value).containsExactly("1", "2");
    }

    @Test
    void shouldTakeAValueThatLooksLikeAFlagAfterAName() {
        assertThat(Flags.parse("--password", "--secret")).containsExactly(new Flag("password", "--secret"));
    }

    @Test
    void shouldReadNothingFromNoArguments() {
        assertThat(Flags.parse()).isEmpty();
    }

    @Test
    void shouldRefuseALastFlagWithoutAValue() {
        assertThatThrownBy(() -> Flags.parse("--port", "1", "--data-dir"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--data-dir needs a value");
    }

    @Test
    void shouldRefuseAnArgumentThatIsNotAFlag() {
        assertThatThrownBy(() -> Flags.parse("port", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected an option starting with --, got \"port\"");
        assertThatThrownBy(() -> Flags.parse("-p", "1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNameAnUnknownFlagAsGiven() {
        assertThat(new Flag("colour", "red").unknown()).hasMessage("unknown option --colour");
    }

    private enum Option {
        PORT, DATA_DIR;

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    @Test
    void shouldFindTheOptionAFlagNames() {
        assertThat(Flags.option(new Flag("data-dir", "x"), Option.values(), Option::key, () -> "usage"))
                .isEqualTo(Option.DATA_DIR);
    }

    @Test
    void shouldRefuseAFlagNoOptionHasWithTheUsage() {
        assertThatThrownBy(() -> Flags.option(new Flag("colour", "red"), Option.values(), Option::key,
                () -> "Options: --port, --data-dir"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown option --colour\nOptions: --port, --data-dir");
    }
}
