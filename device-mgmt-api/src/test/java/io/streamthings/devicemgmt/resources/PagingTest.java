package io.streamthings.devicemgmt.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamthings.devicemgmt.errors.ApiException;
import org.junit.jupiter.api.Test;

class PagingTest {

    @Test
    void shouldDefaultAndParse() {
        assertThat(Paging.of(null, null)).isEqualTo(new Paging(0, 50));
        assertThat(Paging.of("20", "1000")).isEqualTo(new Paging(20, 1000));
    }

    @Test
    void shouldRefuseNonNumbersAndOutOfRangeValues() {
        for (String[] bad : new String[][] {{"-1", "10"}, {"0", "0"}, {"0", "1001"}, {"x", "1"}, {"1", "1e3"}}) {
            assertThatThrownBy(() -> Paging.of(bad[0], bad[1])).isInstanceOf(ApiException.class);
        }
    }
}
