package io.streamthings.flink.realtime;

import io.streamthings.common.influx.WindowSeries;
import io.streamthings.flink.influx.InfluxSetup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * The InfluxDB retention policies of the platform's time series, created (or brought to the configured duration) when
 * the job's writers start, so that disk use never grows without bound:
 *
 * <table>
 * <caption>Defaults</caption>
 * <tr><th>policy</th><th>measurements</th><th>default duration</th><th>option</th></tr>
 * <tr><td>{@code raw}</td><td>{@code telemetry}, {@code telemetry_late}</td><td>7d</td><td>retention.raw</td></tr>
 * <tr><td>{@code rp_1m}</td><td>{@code telemetry_1m}</td><td>90d</td><td>retention.1m</td></tr>
 * <tr><td>{@code rp_1h}</td><td>{@code telemetry_1h} (batch job)</td><td>INF</td><td>retention.1h</td></tr>
 * <tr><td>{@code rp_1d}</td><td>{@code telemetry_1d} (batch job)</td><td>INF</td><td>retention.1d</td></tr>
 * </table>
 *
 * <p>The database's default policy is left alone: measurements written without a policy keep their own rules.
 *
 * @param database the database
 * @param durations policy name to InfluxQL duration, in creation order
 */
public record RetentionPolicies(String database, Map<String, String> durations) implements InfluxSetup {

    /** Policy of the raw points and the late readings. */
    public static final String RAW = "raw";
    /** Policy of the 1-minute aggregates. */
    public static final String RP_1M = WindowSeries.MINUTE.retentionPolicy();
    /** Policy of the hourly rollups. */
    public static final String RP_1H = WindowSeries.HOUR.retentionPolicy();
    /** Policy of the daily rollups. */
    public static final String RP_1D = WindowSeries.DAY.retentionPolicy();

    public RetentionPolicies {
        durations = Map.copyOf(durations);
    }

    /** The policies of a job configuration. */
    public static RetentionPolicies of(RealtimeJobConfig config) {
        return new RetentionPolicies(config.influxDatabase(), Map.of(
                RAW, config.retentionRaw(),
                RP_1M, config.retention1m(),
                RP_1H, config.retention1h(),
                RP_1D, config.retention1d()));
    }

    /** {@code CREATE DATABASE} then one {@code CREATE RETENTION POLICY} per policy, in name order. */
    public List<String> createStatements() {
        List<String> statements = new ArrayList<>();
        statements.add("CREATE DATABASE \"" + database + "\"");
        durations.keySet().stream().sorted().forEach(name -> statements.add("CREATE RETENTION POLICY \"" + name
                + "\" ON \"" + database + "\" DURATION " + durations.get(name) + " REPLICATION 1"));
        return statements;
    }

    /** The statement that brings an existing policy to its configured duration. */
    public String alterStatement(String name) {
        return "ALTER RETENTION POLICY \"" + name + "\" ON \"" + database + "\" DURATION " + durations.get(name)
                + " REPLICATION 1";
    }

    /**
     * Creates the database and the policies, and alters a policy that exists with another duration. Idempotent.
     *
     * @throws IllegalStateException when InfluxDB refuses a statement
     */
    @Override
    public void apply(InfluxDB influx) {
        for (String statement : createStatements()) {
            String error = run(influx, statement);
            if (error == null) {
                continue;
            }
            if (statement.startsWith("CREATE RETENTION POLICY") && error.contains("already exists")) {
                String name = statement.substring("CREATE RETENTION POLICY \"".length(), statement.indexOf("\" ON"));
                String alterError = run(influx, alterStatement(name));
                if (alterError == null) {
                    continue;
                }
                error = alterError;
            }
            throw new IllegalStateException("InfluxDB refused \"" + statement + "\": " + error);
        }
    }

    /** Runs one statement; returns InfluxDB's error message, or null when it succeeded. */
    private static String run(InfluxDB influx, String statement) {
        try {
            return error(influx.query(new Query(statement)));
        } catch (InfluxDBException e) {
            return String.valueOf(e.getMessage());
        }
    }

    private static String error(QueryResult result) {
        if (result.getError() != null) {
            return result.getError();
        }
        if (result.getResults() != null) {
            for (QueryResult.Result r : result.getResults()) {
                if (r.getError() != null) {
                    return r.getError();
                }
            }
        }
        return null;
    }
}
