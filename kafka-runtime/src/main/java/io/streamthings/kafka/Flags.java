package io.streamthings.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The command-line flags of the services' and jobs' {@code main} methods: {@code --name value} or
 * {@code --name=value}, in any order. Which names exist, their defaults and their checks stay with each program's
 * config; this reads the pairs only.
 */
public final class Flags {

    /**
     * One flag as given.
     *
     * @param name the name without its leading {@code --}
     * @param value the value, possibly empty ({@code --name=})
     */
    public record Flag(String name, String value) {

        /** The flag as written, {@code --name}, for error messages. */
        public String option() {
            return "--" + name;
        }

        /** The error for a flag the program does not know: {@code unknown option --name}. */
        public IllegalArgumentException unknown() {
            return new IllegalArgumentException("unknown option " + option());
        }
    }

    private Flags() {}

    /**
     * Reads the flags in order; a flag given twice appears twice (the program's last assignment wins).
     *
     * @throws IllegalArgumentException for an argument that does not start with {@code --} where a flag is expected,
     *     or a last flag without a value ({@code --name needs a value})
     */
    public static List<Flag> parse(String... args) {
        List<Flag> flags = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg == null || !arg.startsWith("--")) {
                throw new IllegalArgumentException("expected an option starting with --, got \"" + arg + "\"");
            }
            String name = arg.substring(2);
            int eq = name.indexOf('=');
            if (eq > 0) {
                flags.add(new Flag(name.substring(0, eq), name.substring(eq + 1)));
            } else if (i + 1 < args.length) {
                flags.add(new Flag(name, args[++i]));
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
        }
        return flags;
    }

    /**
     * The option a flag names, among a program's options (e.g. the constants of its option enum).
     *
     * @param key an option's name as given on the command line, without {@code --}
     * @param usage the program's usage text, appended to the error
     * @throws IllegalArgumentException {@code unknown option --name}, then the usage, when no option has the name
     */
    public static <T> T option(Flag flag, T[] options, Function<T, String> key, Supplier<String> usage) {
        for (T o : options) {
            if (key.apply(o).equals(flag.name())) {
                return o;
            }
        }
        throw new IllegalArgumentException(flag.unknown().getMessage() + "\n" + usage.get());
    }
}
