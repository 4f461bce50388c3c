package io.streamthings.devicemgmt.health;

import com.codahale.metrics.health.HealthCheck;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** The Kafka cluster describes itself within the timeout, through one shared admin client. */
public class KafkaHealthCheck extends HealthCheck {

    private final Admin admin;
    private final Duration timeout;

    public KafkaHealthCheck(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    @Override
    protected Result check() throws InterruptedException {
        var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
        try {
            int nodes = cluster.nodes().get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS).size();
            return nodes > 0 ? Result.healthy(nodes + " broker(s)") : Result.unhealthy("no brokers");
        } catch (ExecutionException | TimeoutException e) {
            return Result.unhealthy("Kafka did not describe its cluster within " + timeout.toMillis() + " ms: "
                    + (e.getCause() != null ? e.getCause() : e));
        }
    }
}
