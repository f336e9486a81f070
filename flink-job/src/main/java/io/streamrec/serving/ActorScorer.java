package io.streamrec.serving;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.djl.translate.TranslateException;
import io.streamrec.model.ActorWeights;
import io.streamrec.model.TopK;
import io.streamrec.state.RecommendationRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores micro-batches of {@link RecommendationRequest}s with one {@link ServingModel}: gathers the user and
 * window embeddings into primitive arrays, runs one forward pass through a DJL {@link Predictor} (all NDArrays live
 * in the predictor's per-call manager and are freed when it returns), then selects each request's top-k from the
 * copied-out score matrix, excluding everything the user has rated. With a retrieval stage (two-stage serving) the
 * forward pass computes the actions only (in a per-batch scope), the model's {@link ItemIndex} retrieves candidates
 * and the actor's score re-ranks them. Not thread-safe: one scorer per thread, as
 * a Predictor is.
 */
public final class ActorScorer implements AutoCloseable {
    private static final int[] NONE = new int[0];

    private final ServingModel model;
    private final ActorWeights weights;
    private final Predictor<ActorTranslator.Input, ActorTranslator.Output> predictor;
    private final int d;
    private final int n;
    private final int items;
    /** Row index by item id when ids are dense enough (the common case), else null: binary search. */
    private final int[] indexById;

    ActorScorer(ServingModel model, Predictor<ActorTranslator.Input, ActorTranslator.Output> predictor) {
        this.model = model;
        this.weights = model.weights();
        this.predictor = predictor;
        this.d = weights.embeddingDim();
        this.n = weights.windowSize();
        this.items = weights.itemCount();
        this.indexById = indexById(weights);
    }

    /**
     * Every request maps its window and all its rated items (hundreds for an active user) from ids to rows; the
     * profile showed the binary searches at ~5% of the job's samples. A direct table when the largest id is at most
     * a few times the item count.
     */
    private static int[] indexById(ActorWeights weights) {
        int count = weights.itemCount();
        int maxId = weights.itemIdAt(count - 1); // ids are strictly ascending
        if (weights.itemIdAt(0) < 0 || maxId > 4L * count + 65_536) return null;
        int[] table = new int[maxId + 1];
        Arrays.fill(table, -1);
        for (int i = 0; i < count; i++) table[weights.itemIdAt(i)] = i;
        return table;
    }

    private int indexOf(int itemId) {
        int[] t = indexById;
        if (t == null) return weights.itemIndexOf(itemId);
        return itemId >= 0 && itemId < t.length ? t[itemId] : -1;
    }

    /**
     * One slate per request, in the same order.
     *
     * @throws TranslateException when the engine fails; no partial result is returned
     */
    public List<ScoredSlate> score(List<RecommendationRequest> batch) throws TranslateException {
        return score(batch, null);
    }

    /**
     * As {@link #score(List)}, exploring in action space: {@code noise} [B·d] is added to each action (clipped to
     * [−1, 1]), the slate is ranked by the noisy action, which is the one reported; the clean action's slate comes
     * along as {@link ScoredSlate#greedyItemIds()}. Null noise: no exploration.
     */
    public List<ScoredSlate> score(List<RecommendationRequest> batch, float[] noise) throws TranslateException {
        return score(batch, noise, GreedySlates.EVERY_USER);
    }

    /** As {@link #score(List, float[])}, with the greedy slate selected only for the users {@code greedyFor} names. */
    public List<ScoredSlate> score(List<RecommendationRequest> batch, float[] noise, GreedySlates greedyFor)
            throws TranslateException {
        int b = batch.size();
        if (b == 0) return List.of();
        float[] users = new float[b * d];
        float[] window = new float[b * n * d];
        float[] mask = new float[b * n];
        for (int r = 0; r < b; r++) gather(batch.get(r), r, users, window, mask);
        if (noise != null && noise.length != b * d) throw new IllegalArgumentException("noise must hold B·d values");
        ActorTranslator.Input input = new ActorTranslator.Input(b, d, n, users, window, mask, noise);
        return model.index() == null
                ? scoreCatalogue(batch, input, greedyFor)
                : scoreCandidates(batch, input, greedyFor);
    }

    /** One forward pass scores every item; each slate is the top-k of its row of the copied-out score matrix. */
    private List<ScoredSlate> scoreCatalogue(
            List<RecommendationRequest> batch, ActorTranslator.Input input, GreedySlates greedyFor)
            throws TranslateException {
        ActorTranslator.Output out = predictor.predict(input);
        List<ScoredSlate> slates = new ArrayList<>(batch.size());
        for (int r = 0; r < batch.size(); r++) {
            int[] excluded = excludedIndices(batch.get(r).ratedItems);
            int[] top = TopK.select(out.scores(), r * items, items, model.k(), excluded);
            float[] scores = new float[top.length];
            for (int j = 0; j < top.length; j++) scores[j] = out.scores()[r * items + top[j]];
            int[] greedy = null;
            if (out.greedyScores() != null && greedyFor.test(batch.get(r).userId)) {
                greedy = TopK.select(out.greedyScores(), r * items, items, model.k(), excluded);
            }
            slates.add(slate(top, scores, out.actions(), r, greedy));
        }
        return slates;
    }

    /**
     * Two-stage: one forward pass computes the actions only; for each, the item index retrieves {@code candidates}
     * items the user has not rated, and the actor re-ranks them by its score {@code action · e_i} with this version's
     * embeddings (the index may be a few versions older). Ties rank by lower catalogue position, as in
     * {@link #scoreCatalogue}.
     */
    private List<ScoredSlate> scoreCandidates(
            List<RecommendationRequest> batch, ActorTranslator.Input input, GreedySlates greedyFor) {
        float[] actions;
        float[] clean = null;
        try (NDManager scope = model.manager().newSubManager()) {
            NDList out = model.block().act(new ParameterStore(scope, false), ActorTranslator.inputs(scope, input));
            actions = out.get(0).toFloatArray();
            if (out.size() > 1) clean = out.get(1).toFloatArray();
        }
        ItemIndex index = model.index();
        Retrieval retrieval = model.retrieval();
        List<ScoredSlate> slates = new ArrayList<>(batch.size());
        for (int r = 0; r < batch.size(); r++) {
            int[] excluded = excludedIndices(batch.get(r).ratedItems);
            int[] candidates = index.candidates(actions, r * d, retrieval.candidates(), retrieval.beam(), excluded);
            float[] candidateScores = rerank(actions, r, candidates);
            int[] best = TopK.select(candidateScores, 0, candidates.length, model.k(), null, candidates);
            int[] top = new int[best.length];
            float[] scores = new float[best.length];
            for (int j = 0; j < best.length; j++) {
                top[j] = candidates[best[j]];
                scores[j] = candidateScores[best[j]];
            }
            int[] greedy = null;
            if (clean != null && greedyFor.test(batch.get(r).userId)) {
                int[] g = index.candidates(clean, r * d, retrieval.candidates(), retrieval.beam(), excluded);
                int[] gBest = TopK.select(rerank(clean, r, g), 0, g.length, model.k(), null, g);
                greedy = new int[gBest.length];
                for (int j = 0; j < gBest.length; j++) greedy[j] = g[gBest[j]];
            }
            slates.add(slate(top, scores, actions, r, greedy));
        }
        return slates;
    }

    private float[] rerank(float[] actions, int r, int[] candidates) {
        float[] scores = new float[candidates.length];
        for (int j = 0; j < candidates.length; j++) scores[j] = weights.itemDot(candidates[j], actions, r * d);
        return scores;
    }

    /** Request {@code r}'s slate from catalogue positions (best first), their scores and its greedy positions. */
    private ScoredSlate slate(int[] top, float[] scores, float[] actions, int r, int[] greedyPositions) {
        int[] ids = new int[top.length];
        for (int j = 0; j < top.length; j++) ids[j] = weights.itemIdAt(top[j]);
        int[] greedy = null;
        if (greedyPositions != null) {
            greedy = new int[greedyPositions.length];
            for (int j = 0; j < greedy.length; j++) greedy[j] = weights.itemIdAt(greedyPositions[j]);
        }
        return new ScoredSlate(
                model.version(), top, ids, scores, Arrays.copyOfRange(actions, r * d, (r + 1) * d), greedy);
    }

    /**
     * Row {@code r} of the inputs. The window is right-aligned: its most recent item sits in slot N-1 (so each
     * pooling weight always belongs to the same recency); only the newest N items count; an item without an
     * embedding row keeps its slot but is masked out.
     */
    private void gather(RecommendationRequest req, int r, float[] users, float[] window, float[] mask) {
        weights.copyUserRow(req.userId, users, r * d);
        int[] w = req.window == null ? NONE : req.window;
        int len = Math.min(w.length, n);
        int first = w.length - len;
        int slot0 = n - len;
        for (int j = 0; j < len; j++) {
            int index = indexOf(w[first + j]);
            if (index < 0) continue;
            int slot = r * n + slot0 + j;
            weights.copyItemRow(index, window, slot * d);
            mask[slot] = 1f;
        }
    }

    /** The rated item ids as ascending row indices (ids unknown to the catalogue dropped). */
    private int[] excludedIndices(int[] ratedItems) {
        if (ratedItems == null || ratedItems.length == 0) return NONE;
        int[] idx = new int[ratedItems.length];
        int count = 0;
        for (int id : ratedItems) {
            int i = indexOf(id);
            if (i >= 0) idx[count++] = i;
        }
        idx = count == idx.length ? idx : Arrays.copyOf(idx, count);
        // The contract says ratedItems is sorted, and indices follow id order; sort only if someone broke it.
        for (int i = 1; i < count; i++) {
            if (idx[i] < idx[i - 1]) {
                Arrays.sort(idx);
                break;
            }
        }
        return idx;
    }

    public ServingModel model() {
        return model;
    }

    @Override
    public void close() {
        predictor.close();
    }
}
