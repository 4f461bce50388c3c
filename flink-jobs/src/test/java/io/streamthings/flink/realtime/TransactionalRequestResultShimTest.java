package io.streamthings.flink.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.internals.TransactionalRequestResult;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** The kafka-clients shim of this module is the class loaded, and it keeps kafka-clients' contract. */
class TransactionalRequestResultShimTest {

    @Test
    void shouldLoadTheShimThatHasTheNoArgumentAwaitTheFlinkConnectorCalls() throws Exception {
        assertThat(TransactionalRequestResult.class.getMethod("await")).isNotNull();
        assertThat(TransactionalRequestResult.class.getProtectionDomain().getCodeSource().getLocation().toString())
                .doesNotContain("kafka-clients");
    }

    @Test
    void shouldAcknowledgeOnAwaitAndRethrowTheError() {
        TransactionalRequestResult ok = new TransactionalRequestResult("op");
        ok.done();
        ok.await();
        assertThat(ok.isAcked()).isTrue();
        assertThat(ok.isSuccessful()).isTrue();

        TransactionalRequestResult failed = new TransactionalRequestResult("op");
        failed.fail(new IllegalStateException("boom"));
        assertThatThrownBy(failed::await).hasMessage("boom");
        assertThat(failed.isCompleted()).isTrue();
        assertThat(failed.isSuccessful()).isFalse();

        TransactionalRequestResult pending = new TransactionalRequestResult("op");
        assertThatThrownBy(() -> pending.await(1, TimeUnit.MILLISECONDS, "late"))
                .isInstanceOf(TimeoutException.class);
        assertThat(pending.isAcked()).isFalse();
    }
}
