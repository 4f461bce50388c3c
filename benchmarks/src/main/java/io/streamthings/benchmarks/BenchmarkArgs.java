package io.streamthings.benchmarks;

import java.util.HashMap;
import java.util.Map;

/** The {@code key=value} arguments every benchmark's {@code main} takes (through {@code -Dexec.args}). */
final class BenchmarkArgs {

    private BenchmarkArgs() {}

    /**
     * @return the arguments by key; a later key replaces an earlier one
     * @throws IllegalArgumentException for an argument without {@code key=}
     */
    static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("arguments are key=value, not " + arg);
            }
            opts.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return opts;
    }
}
