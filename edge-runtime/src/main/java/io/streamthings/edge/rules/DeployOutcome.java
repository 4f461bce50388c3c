package io.streamthings.edge.rules;

/**
 * What became of a deployment: COMPLETED, REJECTED (not an operation this runtime takes, or an older version), or
 * ERROR with the compiler's line and column when it knows them; on ERROR or REJECTED the previous version runs on.
 *
 * @param status {@code COMPLETED}, {@code ERROR} or {@code REJECTED}
 * @param message why, for the operation's author; null on success
 * @param line 1-based line of the app's error, null when unknown
 * @param column 1-based column, null when unknown
 * @param runningVersion the version running once the deployment is over, 0 for none
 */
public record DeployOutcome(String status, String message, Integer line, Integer column, long runningVersion) {

    static DeployOutcome completed(long version) {
        return new DeployOutcome("COMPLETED", null, null, null, version);
    }

    static DeployOutcome error(String message, Integer line, Integer column, long running) {
        return new DeployOutcome("ERROR", message, line, column, running);
    }

    static DeployOutcome rejected(String message, long running) {
        return new DeployOutcome("REJECTED", message, null, null, running);
    }
}
