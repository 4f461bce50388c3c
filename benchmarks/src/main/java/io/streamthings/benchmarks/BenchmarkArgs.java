package io.streamthings.benchmarks;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@code key=value} arguments every benchmark's {@code main} takes. One argument may hold several pairs separated
 * by whitespace, since Maven passes a property such as {@code -Dflink.bench.args="records=1000000 rounds=1"} as one.
 */
final class BenchmarkArgs {

    private BenchmarkArgs() {}

    /**
     * @return the arguments by key; a later key replaces an earlier one
     * @throws IllegalArgumentException for an argument without {@code key=}
     */
    static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (String arg : args) {
            for (String pair : arg.strip().split("\\s+")) {
                if (!pair.isEmpty()) {
                    put(opts, pair);
                }
            }
        }
        return opts;
    }

    private static void put(Map<String, String> opts, String arg) {
        int eq = arg.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("arguments are key=value, not " + arg);
        }
        opts.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
}
