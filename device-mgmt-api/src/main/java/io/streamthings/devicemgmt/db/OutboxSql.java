package io.streamthings.devicemgmt.db;

import java.util.List;
import org.jdbi.v3.core.Handle;

/** {@link OutboxDao#insertAll} in plain JDBC ({@link Jdbc}), for the writes every device change makes. */
public final class OutboxSql {

    private static final String INSERT = "INSERT INTO kafka_outbox (topic, record_key, value) VALUES (?, ?, ?)";

    private OutboxSql() {}

    /** Queues the records in one batch, in their order (the order the publisher sends them in). */
    public static void insertAll(Handle h, List<OutboxRow> rows) {
        Jdbc.batch(h, INSERT, rows, (s, row) -> {
            s.setString(1, row.topic());
            s.setString(2, row.recordKey());
            s.setBytes(3, row.value());
        });
    }
}
