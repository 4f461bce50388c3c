package io.streamthings.embedded;

/** influxd is not installed; the message says how to install it. */
public final class InfluxNotInstalledException extends IllegalStateException {

    /** Creates the exception with the install hint. */
    public InfluxNotInstalledException() {
        super("InfluxDB is not installed: no influxd on the PATH or in /usr/bin. "
                + "Install it with: sudo apt-get install -y influxdb (the README's first command does this for you)");
    }
}
