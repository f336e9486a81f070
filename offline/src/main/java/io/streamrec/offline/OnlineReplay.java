package io.streamrec.offline;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.eval.PrequentialEvaluator;
import io.streamrec.eval.RequestBuilder;
import io.streamrec.eval.UserSlice;
import io.streamrec.job.DrrLoop;
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
 * event (learn). DRR runs as in the job through {@link DrrLoop} (serving, reward joining and learning with the job's
 * pieces; serving follows the learner's publications at chunk ends). Single-threaded and seeded: the same command
 * gives the same table, digit for digit. Used by {@code ./streamrec evaluate --protocol prequential} and the tests.
 */
public final class OnlineReplay {
    private OnlineReplay() {}

    /** All metric records emitted, in order, and the evaluator (for cumulative summaries). */
    public record Result(List<PolicyMetrics> metrics, PrequentialEvaluator evaluator, DrrRun drr, double seconds) {}

    /** Event {@code e}'s request, built by {@code rb} (which must see the log's events in order). */
    static RecommendationRequest request(RequestBuilder rb, EventLog events, int e) {
        return rb.next(
                events.get(e).requestId(), events.userId(e), events.itemId(e), events.rating(e), events.timestamp(e));
    }

    /** How DRR's learner ran (null in a result without DRR). */
    public record DrrRun(
            long transitions,
            long steps,
            long skippedSteps,
            long servingVersion,
            double criticR2,
            double criticR2OtherAction) {
        public String summary() {
            return String.format(
                    java.util.Locale.ROOT,
                    "drr: %,d transitions, %,d learner steps (sync pacing), %d skipped, serving v%d at the end; critic"
                            + " R² of its TD targets %.3f, %.3f with another transition's action",
                    transitions,
                    steps,
                    skippedSteps,
                    servingVersion,
                    criticR2,
                    criticR2OtherAction);
        }
    }

    public static Result run(EventLog log, ItemCatalog catalog, StreamrecConfig config, List<String> policyNames) {
        long started = System.nanoTime();
        // The job's deterministic replay order (time, user, then the log's order): the same table as the job's.
        EventLog events = log.orderedByTimeThenUser();
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
        // DRR as the job runs it: serving answers every event, the joiner and the learner see every user's slates,
        // the evaluator judges the slice (drr: the served slate; drr-greedy: the noise-free action's slate).
        DrrLoop drr = policyNames.contains(Policies.DRR) ? DrrLoop.online(catalog, config) : null;
        try {
            List<RecommendationRequest> chunk = new ArrayList<>(DrrLoop.CHUNK);
            for (int start = 0; start < events.size(); start += DrrLoop.CHUNK) {
                int end = Math.min(events.size(), start + DrrLoop.CHUNK);
                // Each request holds the user's state at its own event, so a chunk's requests can be built ahead.
                chunk.clear();
                for (int e = start; e < end; e++) {
                    chunk.add(OnlineReplay.request(requests, events, e));
                }
                List<DrrLoop.Served> served = drr == null ? null : drr.serve(chunk, slice::contains);
                for (int e = start; e < end; e++) {
                    int user = events.userId(e), item = events.itemId(e);
                    float rating = events.rating(e);
                    long ts = events.timestamp(e);
                    RecommendationRequest req = chunk.get(e - start);
                    if (slice.contains(user)) { // as in the job: the slice is judged, every event trains every policy
                        out.addAll(evaluator.onEvent(user, req.requestId, item, rating, ts));
                        for (Policy p : policies) {
                            Slate s = p.recommend(req, k);
                            evaluator.onSlate(p.name(), user, req.requestId, s.items());
                        }
                        if (served != null) {
                            DrrLoop.Served s = served.get(e - start);
                            evaluator.onSlate(Policies.DRR, user, req.requestId, s.servedItemIds());
                            if (s.scored().greedyItemIds() != null) {
                                evaluator.onSlate(
                                        Policies.DRR_GREEDY,
                                        user,
                                        req.requestId,
                                        s.scored().greedyItemIds());
                            }
                        }
                    }
                    for (Policy p : policies) p.update(req);
                    if (served != null) drr.join(req, served.get(e - start));
                }
                if (drr != null) drr.endChunk();
            }
            out.addAll(evaluator.finish());
            double[] criticFit = drr == null ? null : drr.criticRSquared();
            DrrRun drrRun = drr == null
                    ? null
                    : new DrrRun(
                            drr.transitions(),
                            drr.steps(),
                            drr.skippedSteps(),
                            drr.servingVersion(),
                            criticFit[0],
                            criticFit[1]);
            return new Result(out, evaluator, drrRun, (System.nanoTime() - started) / 1e9);
        } finally {
            if (drr != null) drr.close();
        }
    }
}
