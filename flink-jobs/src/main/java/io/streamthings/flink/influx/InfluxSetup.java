package io.streamthings.flink.influx;

import java.io.Serializable;
import org.influxdb.InfluxDB;

/** Something to do once on the InfluxDB server before a writer writes, e.g. create the database and its policies. */
@FunctionalInterface
public interface InfluxSetup extends Serializable {

    /**
     * Must be idempotent: every writer subtask runs it, at every start.
     *
     * @throws RuntimeException when the server refuses; the writer then fails and the job restarts
     */
    void apply(InfluxDB influx);
}
