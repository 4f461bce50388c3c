package io.streamthings.devicemgmt.db;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The transactional outbox of Kafka records. */
@RegisterConstructorMapper(OutboxRow.class)
public interface OutboxDao {

    @SqlUpdate("INSERT INTO kafka_outbox (topic, record_key, value) VALUES (:topic, :key, :value)")
    void insert(@Bind("topic") String topic, @Bind("key") String key, @Bind("value") byte[] value);

    @SqlBatch("INSERT INTO kafka_outbox (topic, record_key, value) VALUES (:topic, :recordKey, :value)")
    void insertAll(@BindMethods List<OutboxRow> rows);

    /** The oldest unsent records, in the order they were written, which is the order they must reach Kafka. */
    @SqlQuery("SELECT id, topic, record_key, value FROM kafka_outbox ORDER BY id LIMIT :limit")
    List<OutboxRow> oldest(@Bind("limit") int limit);

    /** By id, not by range: a transaction that took a lower id may still be uncommitted. */
    @SqlUpdate("DELETE FROM kafka_outbox WHERE id = ANY(:ids)")
    int delete(@Bind("ids") long[] ids);

    @SqlQuery("SELECT count(*) FROM kafka_outbox")
    long pending();
}
