package io.streamrec.eval.flink;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.policy.GenreQLearning;
import io.streamrec.policy.GenreQPolicy;
import io.streamrec.policy.Policies;
import io.streamrec.schema.Recommendation;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/** Keyed by request: waits for every genre's partial slate, merges them by Q-value, applies ε-greedy (genreq slate). */
public class GenreQMerge extends KeyedProcessFunction<String, GenrePartial, Recommendation> {
    private static final long serialVersionUID = 1L;
    private final ItemCatalog catalog;
    private final int k;
    private final double epsilon;
    private final long seed;
    private transient ListState<GenrePartial> partials;

    public GenreQMerge(ItemCatalog catalog, int k, double epsilon, long seed) {
        this.catalog = catalog;
        this.k = k;
        this.epsilon = epsilon;
        this.seed = seed;
    }

    @Override
    public void open(OpenContext openContext) {
        partials = getRuntimeContext()
                .getListState(new ListStateDescriptor<>("genre-partials", TypeInformation.of(GenrePartial.class)));
    }

    @Override
    public void processElement(GenrePartial p, Context ctx, Collector<Recommendation> out) throws Exception {
        List<GenrePartial> all = new ArrayList<>();
        for (GenrePartial x : partials.get()) all.add(x);
        all.add(p);
        if (all.size() < p.expected) {
            partials.add(p);
            return;
        }
        partials.clear();
        List<GenreQLearning.Candidate> candidates = new ArrayList<>();
        for (GenrePartial x : all)
            for (int i = 0; i < x.items.length; i++)
                candidates.add(new GenreQLearning.Candidate(x.items[i], x.values[i]));
        var slate = GenreQPolicy.merge(
                catalog, candidates, k, p.ratedItems, epsilon, new SplittableRandom(seed ^ p.requestId.hashCode()));
        out.collect(Slates.toRecommendation(Policies.GENREQ, p.requestId, p.userId, p.eventTime, slate, catalog));
    }
}
