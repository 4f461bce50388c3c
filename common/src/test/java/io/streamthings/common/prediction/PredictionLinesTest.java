package io.streamthings.common.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PredictionLinesTest {

    @Test
    void shouldWriteEveryFieldWithTagsAndFieldsInKeyOrder() {
        PredictionPoint p = new PredictionPoint("acme", "d-1", "temperature", 1_764_131_060_000L,
                1_764_131_000_000L, "ewma", 21.5, 20.125, 22.875, 0.4, 5_400_000L);

        assertThat(PredictionLines.line(p)).isEqualTo("predictions,deviceId=d-1,metric=temperature,model=ewma,"
                + "tenant=acme anomalyScore=0.4,forecast=21.5,lower=20.125,madeAt=1764131000000i,"
                + "thresholdEtaMs=5400000i,upper=22.875 1764131060000\n");
    }

    @Test
    void shouldLeaveOutTheScoreAndTheThresholdWhenTheModelHasNone() {
        PredictionPoint p = new PredictionPoint("acme", "d-1", "temperature", 2_000L, 1_000L, "ewma", 21, 20, 23,
                null, null);

        assertThat(PredictionLines.line(p)).isEqualTo("predictions,deviceId=d-1,metric=temperature,model=ewma,"
                + "tenant=acme forecast=21.0,lower=20.0,madeAt=1000i,upper=23.0 2000\n");
    }

    @Test
    void shouldEscapeTagValuesSoTheyStayOneTag() {
        PredictionPoint p = new PredictionPoint("my tenant", "d,1=x", "t", 2_000L, 1_000L, "ewma", 1, 1, 1, null,
                null);

        assertThat(PredictionLines.line(p))
                .startsWith("predictions,deviceId=d\\,1\\=x,metric=t,model=ewma,tenant=my\\ tenant forecast=1.0,");
    }

    @Test
    void shouldAppendOneLinePerPoint() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            PredictionLines.append(out, new PredictionPoint("acme", "d-1", "t", 1_000L * i, 0, "ewma", i, i, i, null,
                    null));
        }

        assertThat(out.toString().split("\n")).hasSize(3);
        assertThat(out.toString()).endsWith(" 2000\n");
    }
}
