package io.streamrec.offline;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.eval.PrequentialEvaluator;
import io.streamrec.eval.RequestBuilder;
import io.streamrec.eval.UserSlice;
import io.streamrec.movielens.EventLog;
import io.streamrec.policy.Policies;
import io.streamrec.policy.Policy;
import io.streamrec.policy.PolicyContext;
import io.streamrec.policy.Slate;
import io.streamrec.schema.PolicyMetrics;
import io.streamrec.state.RecommendationRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The prequential protocol of the streaming job in plain Java, single-threaded: replays a time-ordered event log,
 * builds each event's request exactly as {@code UserHistoryFunction} does, and for every event first lets each
 * policy recommend (test), hands the slates to the {@link PrequentialEvaluator}, then lets each policy learn from the
 * event (learn). Used by {@code ./streamrec evaluate --protocol prequential} and the tests; DRR is not run here.
 */
public final class OnlineReplay {
    private OnlineReplay() {}

    /** All metric records emitted, in order, and the evaluator (for cumulative summaries). */
    public record Result(List<PolicyMetrics> metrics, PrequentialEvaluator evaluator, double seconds) {}

    public static Result run(EventLog events, ItemCatalog catalog, StreamrecConfig config, List<String> policyNames) {
        long started = System.nanoTime();
        PolicyContext ctx = new PolicyContext(catalog, StageSettings.policies(config));
        List<Policy> policies = new ArrayList<>();
        for (String name : policyNames) if (!name.equals(Policies.DRR)) policies.add(Policies.create(name, ctx));
        PrequentialEvaluator evaluator = new PrequentialEvaluator(StageSettings.evaluation(config), catalog);
        int k = config.getInt(ConfigKey.K);
        int windowSize = config.getInt(ConfigKey.WINDOW_SIZE);
        double threshold = config.getDouble(ConfigKey.POSITIVE_THRESHOLD);
        RequestBuilder requests = new RequestBuilder(windowSize, threshold);
        List<PolicyMetrics> out = new ArrayList<>();
        UserSlice slice = StageSettings.evaluationSlice(config);
        for (int e = 0; e < events.size(); e++) {
            int user = events.userId(e), item = events.itemId(e);
            float rating = events.rating(e);
            long ts = events.timestamp(e);
            String requestId = events.get(e).requestId();
            RecommendationRequest req = requests.next(requestId, user, item, rating, ts);
            if (slice.contains(user)) { // as in the job: the slice is judged, every event trains every policy
                out.addAll(evaluator.onEvent(user, requestId, item, rating, ts));
                for (Policy p : policies) {
                    Slate s = p.recommend(req, k);
                    evaluator.onSlate(p.name(), user, requestId, s.items());
                }
            }
            for (Policy p : policies) p.update(req);
        }
        out.addAll(evaluator.finish());
        return new Result(out, evaluator, (System.nanoTime() - started) / 1e9);
    }
}
