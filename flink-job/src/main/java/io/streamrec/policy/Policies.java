package io.streamrec.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The registry of policies by name. {@code drr} is the actor of the main dataflow (its slates are evaluated, it is
 * not built here); {@code genreq} runs in keyed-by-genre state in the job and as {@link GenreQPolicy} offline.
 */
public final class Policies {
    public static final String DRR = "drr";
    /**
     * The DRR actor's greedy slate (no exploration), judged beside the exploring {@code drr} whenever the actor
     * explores: what the policy believes best, not what it served. A shadow row of the evaluation, not a policy to
     * configure.
     */
    public static final String DRR_GREEDY = "drr-greedy";

    public static final String GENREQ = "genreq";

    private static final Map<String, Function<PolicyContext, Policy>> REGISTRY = new LinkedHashMap<>();

    static {
        REGISTRY.put("random", RandomPolicy::new);
        REGISTRY.put("popularity", PopularityPolicy::new);
        REGISTRY.put("itemknn", ItemKnnPolicy::new);
        REGISTRY.put("sr", SequentialRulesPolicy::new);
        REGISTRY.put("vsknn", SessionKnnPolicy::new);
        REGISTRY.put("mf", IncrementalMfPolicy::new);
        REGISTRY.put("linucb", LinUcbPolicy::new);
        REGISTRY.put(GENREQ, GenreQPolicy::new);
        REGISTRY.put("reinforce", ReinforceTopKPolicy::new);
        REGISTRY.put("slateq", SlateQPolicy::new);
    }

    private Policies() {}

    /** Every name {@code policies} accepts. */
    public static List<String> known() {
        List<String> l = new ArrayList<>(REGISTRY.keySet());
        l.add(DRR);
        return l;
    }

    /** Policy names from a comma-separated list, validated, duplicates dropped, in the given order. */
    public static List<String> parse(String commaSeparated) {
        List<String> out = new ArrayList<>();
        for (String s : commaSeparated.split(",")) {
            String name = s.trim();
            if (name.isEmpty()) continue;
            if (!known().contains(name))
                throw new IllegalArgumentException("unknown policy '" + name + "'; known: " + known());
            if (!out.contains(name)) out.add(name);
        }
        return out;
    }

    public static Policy create(String name, PolicyContext ctx) {
        Function<PolicyContext, Policy> f = REGISTRY.get(name);
        if (f == null)
            throw new IllegalArgumentException("no plain-Java policy '" + name + "'; known: " + REGISTRY.keySet());
        return f.apply(ctx);
    }
}
