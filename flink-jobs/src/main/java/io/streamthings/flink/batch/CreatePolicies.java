package io.streamthings.flink.batch;

import io.streamthings.flink.influx.InfluxSetup;
import org.influxdb.InfluxDB;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * Creates the database and a retention policy when they do not exist yet, and leaves an existing policy as it is:
 * the real-time job owns the durations ({@code --retention.1h}, {@code --retention.1d}) and brings them to its
 * configuration at every start; a batch run must not undo that.
 *
 * @param database the database
 * @param policy the retention policy
 * @param duration its duration when created here (InfluxQL, e.g. {@code INF})
 */
record CreatePolicies(String database, String policy, String duration) implements InfluxSetup {

    @Override
    public void apply(InfluxDB influx) {
        run(influx, "CREATE DATABASE \"" + database + "\"");
        run(influx, "CREATE RETENTION POLICY \"" + policy + "\" ON \"" + database + "\" DURATION " + duration
                + " REPLICATION 1");
    }

    private static void run(InfluxDB influx, String statement) {
        QueryResult result = influx.query(new Query(statement));
        String error = result.getError();
        if (error == null && result.getResults() != null) {
            error = result.getResults().stream().map(QueryResult.Result::getError).filter(e -> e != null)
                    .findFirst().orElse(null);
        }
        if (error != null && !error.contains("already exists")) {
            throw new IllegalStateException("InfluxDB refused \"" + statement + "\": " + error);
        }
    }
}
