package io.streamthings.devicemgmt.api;

/** Patterns shared by the representations. */
public final class Validation {

    /** Ids and names that appear in URLs and MQTT topics: no slash, no wildcard, no space. */
    public static final String ID = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$";

    public static final String ID_MESSAGE =
            "must be 1-64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit";

    private Validation() {}
}
