package io.streamrec.eval.flink;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.eval.PrequentialEvaluator;
import io.streamrec.eval.UserSlice;
import io.streamrec.operators.EventTimeOrder;
import io.streamrec.operators.SingleSubtask;
import io.streamrec.policy.GenreQLearning;
import io.streamrec.policy.Policies;
import io.streamrec.policy.Policy;
import io.streamrec.policy.PolicyContext;
import io.streamrec.policy.PolicySettings;
import io.streamrec.schema.PolicyMetrics;
import io.streamrec.schema.Recommendation;
import io.streamrec.state.RecommendationRequest;
import io.streamrec.state.RequestOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.util.Collector;

/**
 * Attaches the online evaluation to the dataflow:
 * <pre>
 * requests ─┬─► GlobalPoliciesFunction (parallelism 1: random, popularity, itemknn, sr, vsknn, mf, linucb) ┐
 *           ├─► GenreQFanOut ─► keyBy(genre) GenreQFunction (Q-tables in keyed state) ─► keyBy(request)   │
 *           │                   GenreQMerge ─────────────────────────────────────────────────────────────┤ slates
 * drr actor slates ──────────────────────────────────────────────────────────────────────────────────────┤
 * requests (as events) ─────────────────► keyBy(constant) EvaluatorFunction (parallelism 1) ◄────────────┘
 *                                                           └─► PolicyMetrics (metrics topic)
 * </pre>
 * The global models need every event, so they run at parallelism 1 on the whole request stream (no broadcast of
 * updates); the genre Q-tables scale by genre.
 */
public final class EvaluationTopology {
    private EvaluationTopology() {}

    /** The evaluation's outputs: the baseline policies' slates and the metric records. */
    public record Streams(DataStream<Recommendation> baselineSlates, DataStream<PolicyMetrics> metrics) {}

    public static Streams attach(
            DataStream<RecommendationRequest> requests,
            DataStream<Recommendation> drr,
            boolean eventTimeOrder,
            PolicySettings policies,
            PrequentialEvaluator.Settings evaluation,
            UserSlice slice,
            ItemCatalog catalog) {
        List<String> names = policies.names();
        int k = evaluation.k();
        List<DataStream<Recommendation>> slates = new ArrayList<>();
        // Each producer's slates become EvalInputs (item ids only) in a map at its parallelism, chained to it where
        // the producer may chain: the full Recommendation (titles, genre lists) then does not go through the
        // evaluator's
        // keyed exchange (the profile had its serialisation at a tenth of the global-policies thread).
        List<DataStream<EvalInput>> evalSlates = new ArrayList<>();

        List<Policy> global = new ArrayList<>();
        PolicyContext ctx = new PolicyContext(catalog, policies);
        for (String n : names)
            if (!n.equals(Policies.DRR) && !n.equals(Policies.GENREQ)) global.add(Policies.create(n, ctx));
        if (!global.isEmpty()) {
            // A deterministic replay feeds the learning policies in event-time order (see EventTimeOrder).
            DataStream<RecommendationRequest> in = eventTimeOrder
                    ? SingleSubtask.pin(EventTimeOrder.apply(requests, "global-policies-order", RequestOrder.INSTANCE))
                    : requests;
            DataStream<Recommendation> g =
                    SingleSubtask.pin(in.process(new GlobalPoliciesFunction(global, catalog, k, slice))
                            .name("global-policies")
                            .uid("global-policies"));
            slates.add(g);
            // Pinned like its producer (which is never chained, see SingleSubtask): slates cross one local channel.
            evalSlates.add(SingleSubtask.pin(
                    g.map(EvaluationTopology::slate).name("eval-global-slates").uid("eval-global-slates")));
        }
        if (names.contains(Policies.GENREQ)) {
            KeyedStream<GenreTask, String> tasks = requests.flatMap(new GenreQFanOut(catalog, slice))
                    .name("genreq-fan-out")
                    .uid("genreq-fan-out")
                    .keyBy(t -> t.genre);
            if (eventTimeOrder) {
                tasks = DataStreamUtils.reinterpretAsKeyedStream(
                        EventTimeOrder.apply(tasks, "genreq-order", GenreTaskOrder.INSTANCE),
                        t -> t.genre,
                        Types.STRING);
            }
            DataStream<Recommendation> q = tasks.process(new GenreQFunction(
                            policies.genreQAlpha(), policies.genreQGamma(), policies.positiveThreshold(), k))
                    .name("genreq-tables")
                    .uid("genreq-tables")
                    .keyBy(p -> p.requestId)
                    .process(new GenreQMerge(catalog, k, policies.genreQEpsilon(), policies.seed()))
                    .name("genreq-merge")
                    .uid("genreq-merge");
            slates.add(q);
            evalSlates.add(
                    q.map(EvaluationTopology::slate).name("eval-genreq-slates").uid("eval-genreq-slates"));
        }
        DataStream<Recommendation> baseline = null;
        for (DataStream<Recommendation> s : slates) baseline = baseline == null ? s : baseline.union(s);

        // Only the slice's events are judged, so only they travel to the evaluator.
        DataStream<EvalInput> inputs = requests.flatMap((RecommendationRequest r, Collector<EvalInput> out) -> {
                    if (slice.contains(r.userId)) out.collect(event(r));
                })
                .returns(EvalInput.class)
                .name("eval-events")
                .uid("eval-events");
        for (DataStream<EvalInput> e : evalSlates) inputs = inputs.union(e);
        if (names.contains(Policies.DRR)) {
            inputs = inputs.union(drr.flatMap((Recommendation rec, Collector<EvalInput> out) -> {
                        if (slice.contains(rec.userId)) drrSlates(rec, out);
                    })
                    .returns(EvalInput.class)
                    .name("eval-drr-slates")
                    .uid("eval-drr-slates"));
        }
        KeyedStream<EvalInput, Integer> judged = inputs.keyBy(x -> 0);
        if (eventTimeOrder) {
            judged = DataStreamUtils.reinterpretAsKeyedStream(
                    SingleSubtask.pin(EventTimeOrder.apply(judged, "evaluator-order", EvalOrder.INSTANCE)),
                    x -> 0,
                    Types.INT);
        }
        DataStream<PolicyMetrics> metrics =
                SingleSubtask.pin(judged.process(new EvaluatorFunction(evaluation, catalog, 5_000))
                        .name("prequential-evaluator")
                        .uid("prequential-evaluator"));
        return new Streams(baseline, metrics);
    }

    static EvalInput event(RecommendationRequest r) {
        EvalInput e = new EvalInput();
        e.requestId = r.requestId;
        e.userId = r.userId;
        e.itemId = r.triggerItemId;
        e.rating = r.triggerRating;
        e.eventTime = r.eventTime;
        return e;
    }

    static EvalInput slate(Recommendation rec) {
        EvalInput e = new EvalInput();
        e.policy = rec.policy;
        e.requestId = rec.requestId;
        e.userId = rec.userId;
        e.eventTime = rec.eventTime;
        e.items = rec.items.stream().mapToInt(i -> i.itemId).toArray();
        return e;
    }

    /** The actor's slate, and its greedy shadow ({@link Policies#DRR_GREEDY}) when the actor explored. */
    static void drrSlates(Recommendation rec, Collector<EvalInput> out) {
        out.collect(slate(rec));
        if (rec.greedyItems != null) {
            EvalInput g = slate(rec);
            g.policy = Policies.DRR_GREEDY;
            g.items = rec.greedyItems;
            out.collect(g);
        }
    }

    /** One task per genre of the user (window and trigger genres); learning only in the trigger item's genres. */
    public static final class GenreQFanOut implements FlatMapFunction<RecommendationRequest, GenreTask> {
        private static final long serialVersionUID = 1L;
        private final ItemCatalog catalog;
        private final UserSlice slice;

        public GenreQFanOut(ItemCatalog catalog, UserSlice slice) {
            this.catalog = catalog;
            this.slice = slice;
        }

        @Override
        public void flatMap(RecommendationRequest r, Collector<GenreTask> out) {
            Set<String> genres = GenreQLearning.userGenres(catalog, r.window, r.triggerItemId);
            List<String> learn = GenreQLearning.genresOf(catalog, r.triggerItemId);
            // Outside the slice no slate is scored: only the tables that learn from the event get a task.
            boolean recommend = slice.contains(r.userId);
            for (String g : genres) {
                if (!recommend && !learn.contains(g)) continue;
                GenreTask t = new GenreTask();
                t.genre = g;
                t.requestId = r.requestId;
                t.userId = r.userId;
                t.triggerItemId = r.triggerItemId;
                t.triggerRating = r.triggerRating;
                t.eventTime = r.eventTime;
                t.learn = learn.contains(g);
                t.recommend = recommend;
                t.expected = genres.size();
                // The rated items only exclude items from a slate: a learn-only task does not carry them.
                t.ratedItems = recommend ? r.ratedItems : null;
                out.collect(t);
            }
        }
    }
}
