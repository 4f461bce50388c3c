package io.streamthings.embedded;

/** A server could not start because its port is taken; the message says which server and which port. */
public final class PortInUseException extends IllegalStateException {

    private final int port;

    /** Creates the exception for the named server and port. */
    public PortInUseException(String what, int port) {
        super(what + " cannot start: port " + port + " is already in use (is another StreamThings or "
                + what + " running? stop it, or choose another port in the configuration)");
        this.port = port;
    }

    /** The port that was taken. */
    public int port() {
        return port;
    }
}
