package io.streamthings.standalone;

import io.streamthings.embedded.InfluxNotInstalledException;
import io.streamthings.embedded.PortInUseException;

/** The platform could not start; the message says why in words a user can act on. */
public final class StartupException extends RuntimeException {

    private StartupException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Wraps a failure, keeping the clear message of the failures we know and naming the cause of the others. */
    static StartupException from(Throwable e) {
        if (e instanceof StartupException s) {
            return s;
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root
                && !(root instanceof PortInUseException || root instanceof InfluxNotInstalledException)) {
            root = root.getCause();
        }
        if (root instanceof PortInUseException || root instanceof InfluxNotInstalledException) {
            return new StartupException(root.getMessage(), e);
        }
        if (root instanceof java.net.BindException) {
            return new StartupException("a port is already in use: " + root.getMessage(), e);
        }
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        if (root != e && root.getMessage() != null) {
            message = message + " (cause: " + root.getMessage() + ")";
        }
        return new StartupException("StreamThings could not start: " + message, e);
    }
}
