package io.streamrec.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one command-line parser of every entry point ({@code ./streamrec demo|job|evaluate}, the producer, the
 * benchmarks). Long options only: {@code --name value}, {@code --name=value}, and flags {@code --name} (value
 * {@code "true"}, or {@code --name=false}); {@code -h} is {@code --help}. An entry point names the options it owns;
 * everything else is either handed on unchanged (the job's configuration keys, which {@link #keyValues} reads) or an
 * error. Mistakes are {@link IllegalArgumentException}s whose message names the option.
 */
public final class Args {
    private final Map<String, String> options;
    private final List<String> rest;

    private Args(Map<String, String> options, List<String> rest) {
        this.options = Collections.unmodifiableMap(options);
        this.rest = List.copyOf(rest);
    }

    /**
     * @param flags       options without a value (names without the dashes)
     * @param valued      options that need a value
     * @param passThrough true: any other {@code --key [value]} goes to {@link #rest()} as given; false: it is an error
     */
    public static Args parse(String[] args, Set<String> flags, Set<String> valued, boolean passThrough) {
        Map<String, String> own = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String token = args[i];
            String name = token.equals("-h") ? "help" : token.startsWith("--") ? token.substring(2) : null;
            String inline = null;
            if (name != null && name.indexOf('=') > 0) {
                inline = name.substring(name.indexOf('=') + 1);
                name = name.substring(0, name.indexOf('='));
            }
            if (name != null && flags.contains(name)) {
                own.put(name, inline == null ? "true" : inline);
            } else if (name != null && valued.contains(name)) {
                if (inline == null && i + 1 >= args.length)
                    throw new IllegalArgumentException("--" + name + " needs a value");
                own.put(name, inline != null ? inline : args[++i]);
            } else if (passThrough) {
                rest.add(token);
                if (inline == null && name != null && i + 1 < args.length && !args[i + 1].startsWith("--"))
                    rest.add(args[++i]);
            } else {
                throw new IllegalArgumentException(
                        name == null ? "unexpected argument '" + token + "'" : "unknown option --" + name);
            }
        }
        return new Args(own, rest);
    }

    /**
     * Every {@code --key value} / {@code --key=value} pair in order (a later one wins); a bare {@code --flag} followed
     * by nothing or by another option means {@code "true"}. For a configuration whose keys are its own to check.
     */
    public static Map<String, String> keyValues(String... args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) throw new IllegalArgumentException("expected --key value, got '" + a + "'");
            String key = a.substring(2);
            int eq = key.indexOf('=');
            if (eq >= 0) {
                out.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                out.put(key, args[++i]);
            } else {
                out.put(key, "true");
            }
        }
        return out;
    }

    /**
     * {@code args} with {@code --key value} appended unless {@code key} is given there already (as {@code --key v} or
     * {@code --key=v}): an entry point's own default for a configuration key.
     */
    public static List<String> withDefault(List<String> args, String key, String value) {
        String option = "--" + key;
        if (args.stream().anyMatch(a -> a.equals(option) || a.startsWith(option + "="))) return args;
        List<String> out = new ArrayList<>(args);
        out.add(option);
        out.add(value);
        return out;
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    /** The option's value, or null. */
    public String get(String name) {
        return options.get(name);
    }

    /** The option's value, or {@code fallback}. */
    public String get(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    /** The options owned by the entry point, by name, in the order given. */
    public Map<String, String> options() {
        return options;
    }

    /** What the entry point did not own, unchanged and in order (with {@code passThrough}). */
    public List<String> rest() {
        return rest;
    }
}
