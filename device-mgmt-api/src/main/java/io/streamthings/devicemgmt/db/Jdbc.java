package io.streamthings.devicemgmt.db;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;

/**
 * Plain JDBC on a Jdbi handle's connection, for the service's hot paths (device reads, enrollment, the outbox and the
 * audit log they write). A SqlObject attached to a handle, which {@code onDemand} does on every call, builds an
 * invoker for every method of its DAO and binds each argument through Jdbi's type lookups: a profile of
 * {@code GET /devices/{id}} spent nine tenths of the request's CPU there, and a few percent on the SQL. Statements
 * here are constants with {@code ?} parameters (pgjdbc prepares them on the server after a few runs per connection)
 * and rows are read by hand. Failures are {@link JdbiException}s, so the exception mappers and transaction handling
 * treat them as they treat a DAO's.
 */
public final class Jdbc {

    private Jdbc() {}

    /** Sets a statement's parameters. */
    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** Reads the current row of a result set. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** The first row of the query's result, if any. */
    public static <T> Optional<T> one(Handle handle, String sql, Binder binder, RowReader<T> reader) {
        return one(handle.getConnection(), sql, binder, reader);
    }

    /** The same on a connection of the pool, outside Jdbi: a single read needs no handle. */
    public static <T> Optional<T> one(Connection connection, String sql, Binder binder, RowReader<T> reader) {
        try (PreparedStatement statement = raw(connection).prepareStatement(sql)) {
            binder.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(reader.read(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new SqlFailure(sql, e);
        }
    }

    /** Every row of the query's result. */
    public static <T> List<T> list(Handle handle, String sql, Binder binder, RowReader<T> reader) {
        try (PreparedStatement statement = raw(handle.getConnection()).prepareStatement(sql)) {
            binder.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(reader.read(rows));
                }
                return result;
            }
        } catch (SQLException e) {
            throw new SqlFailure(sql, e);
        }
    }

    /** Runs an insert, update or delete; the count of rows it changed. */
    public static int update(Handle handle, String sql, Binder binder) {
        try (PreparedStatement statement = raw(handle.getConnection()).prepareStatement(sql)) {
            binder.bind(statement);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new SqlFailure(sql, e);
        }
    }

    /** Runs one statement for each item, in one batch (one round trip for the lot). */
    public static <T> int[] batch(Handle handle, String sql, List<T> items, BatchBinder<T> binder) {
        if (items.isEmpty()) {
            return new int[0];
        }
        try (PreparedStatement statement = raw(handle.getConnection()).prepareStatement(sql)) {
            for (T item : items) {
                binder.bind(statement, item);
                statement.addBatch();
            }
            return statement.executeBatch();
        } catch (SQLException e) {
            throw new SqlFailure(sql, e);
        }
    }

    /** Sets one batch entry's parameters. */
    @FunctionalInterface
    public interface BatchBinder<T> {
        void bind(PreparedStatement statement, T item) throws SQLException;
    }

    /**
     * The driver's own connection under the pool's proxy. The pool wraps every statement and result set it hands out
     * in a reflective proxy as well, so each {@code getString} went through {@code Method.invoke}; statements here are
     * closed by their callers, so nothing needs the pool to track them. The physical connection is the same, and so is
     * its transaction.
     */
    static Connection raw(Connection pooled) throws SQLException {
        return pooled.isWrapperFor(Connection.class) ? pooled.unwrap(Connection.class) : pooled;
    }

    /** A {@code varchar[]} for {@code = ANY(?)}. */
    public static Array textArray(PreparedStatement statement, String[] values) throws SQLException {
        Connection connection = statement.getConnection();
        return connection.createArrayOf("varchar", values);
    }

    /** A {@code timestamptz} column as an instant; null stays null. */
    public static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp t = row.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    /** A {@code varchar[]} column as a Java array; null as an empty one. */
    public static String[] strings(ResultSet row, String column) throws SQLException {
        Array array = row.getArray(column);
        if (array == null) {
            return new String[0];
        }
        try {
            return (String[]) array.getArray();
        } finally {
            array.free();
        }
    }

    /** A failed statement, carrying the driver's exception (and so its SQL state) as its cause. */
    public static final class SqlFailure extends JdbiException {

        private static final long serialVersionUID = 1L;

        SqlFailure(String sql, SQLException cause) {
            super("statement failed: " + sql, cause);
        }
    }
}
