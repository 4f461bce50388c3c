package io.streamthings.devicemgmt.errors;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.sql.SQLException;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database's own refusals that slipped past a service check (a race between two requests): a unique key is a 409,
 * a value too long a 400; anything else is our fault.
 */
public class DatabaseExceptionMapper implements ExceptionMapper<JdbiException> {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseExceptionMapper.class);

    @Override
    public Response toResponse(JdbiException e) {
        String state = sqlState(e);
        if ("23505".equals(state)) {
            return ErrorResponses.of(409, "already exists");
        }
        if ("23503".equals(state)) {
            return ErrorResponses.of(409, "in use or refers to something that does not exist");
        }
        if ("22001".equals(state)) {
            return ErrorResponses.of(400, "a value is too long");
        }
        long id = UnexpectedExceptionMapper.logId();
        LOG.error("Database error {}", id, e);
        return ErrorResponses.of(500, "internal server error (reference " + id + ")");
    }

    /** The SQLState of the first SQL exception in the cause chain, or null. */
    public static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
