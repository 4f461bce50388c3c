package io.streamthings.devicemgmt.health;

import com.codahale.metrics.health.HealthCheck;
import org.jdbi.v3.core.Jdbi;

/** PostgreSQL answers {@code SELECT 1} within two seconds. */
public class PostgresHealthCheck extends HealthCheck {

    private final Jdbi jdbi;

    public PostgresHealthCheck(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    protected Result check() {
        int one = jdbi.withHandle(h -> h.createQuery("SELECT 1").setQueryTimeout(2).mapTo(Integer.class).one());
        return one == 1 ? Result.healthy() : Result.unhealthy("SELECT 1 returned " + one);
    }
}
