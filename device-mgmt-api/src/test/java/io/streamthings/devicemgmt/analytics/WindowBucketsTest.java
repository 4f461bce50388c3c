package io.streamthings.devicemgmt.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowBucketsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldCombineABucketSplitBetweenARollupAndFinerWindowsAsTheReadingsWouldBe() throws Exception {
        // [time, sum, count, min, max, last]: bucket 0 from the hourly rollup alone, bucket 100 split between the
        // rollup (its first part) and the minute windows (the rest), bucket 200 from the minute windows alone
        JsonNode rollup = JSON.readTree("[[0, 30.0, 3, 9.0, 11.0, 10.5], [100, 40.0, 4, 8.0, 12.0, 9.0]]");
        JsonNode minutes = JSON.readTree("[[100, 20.0, 1, 20.0, 20.0, 20.0], [200, 5.0, 2, 2.0, 3.0, 2.5]]");

        WindowBuckets buckets = new WindowBuckets().add(rollup).add(minutes);

        assertThat(buckets.points(Agg.MEAN)).isEqualTo(List.of(List.of(0L, 10.0), List.of(100L, 12.0),
                List.of(200L, 2.5)));
        assertThat(buckets.points(Agg.COUNT)).isEqualTo(List.of(List.of(0L, 3L), List.of(100L, 5L), List.of(200L, 2L)));
        assertThat(buckets.points(Agg.MIN).get(1)).isEqualTo(List.of(100L, 8.0));
        assertThat(buckets.points(Agg.MAX).get(1)).isEqualTo(List.of(100L, 20.0));
        assertThat(buckets.points(Agg.LAST).get(1)).isEqualTo(List.of(100L, 20.0));
        assertThat(buckets.points(Agg.SUM).get(1)).isEqualTo(List.of(100L, 60.0));
    }

    @Test
    void shouldAnswerNothingForNoRows() throws Exception {
        assertThat(new WindowBuckets().add(JSON.readTree("[]")).points(Agg.MEAN)).isEmpty();
    }
}
