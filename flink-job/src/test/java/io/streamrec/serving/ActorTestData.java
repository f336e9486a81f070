package io.streamrec.serving;

import io.streamrec.model.ActorWeights;
import io.streamrec.model.ActorWeightsDelta;
import io.streamrec.state.RecommendationRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/** Deterministic requests and non-trivial weights for the actor tests. */
public final class ActorTestData {
    private ActorTestData() {}

    /** {@code base} with random pooling weights (some negative), random biases and a few learned users. */
    public static ActorWeights randomised(ActorWeights base, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, float[]> tensors = new LinkedHashMap<>();
        for (String name :
                new String[] {ActorWeights.POOL, ActorWeights.FC1_BIAS, ActorWeights.FC2_BIAS, ActorWeights.FC3_BIAS}) {
            float[] t = base.tensor(name);
            for (int i = 0; i < t.length; i++)
                t[i] = (float) (name.equals(ActorWeights.POOL) ? rnd.nextDouble(-1, 2) : rnd.nextDouble(-0.2, 0.2));
            tensors.put(name, t);
        }
        Map<Integer, float[]> users = new HashMap<>();
        for (int user = 1; user <= 5; user++) {
            float[] row = new float[base.embeddingDim()];
            for (int j = 0; j < row.length; j++) row[j] = (float) rnd.nextDouble(-1, 1);
            users.put(user, row);
        }
        return base.apply(new ActorWeightsDelta(
                base.version() + 1,
                base.version(),
                base.embeddingDim(),
                base.hiddenDim(),
                base.windowSize(),
                base.stateRepresentation(),
                tensors,
                Map.of(),
                users));
    }

    /** A request; {@code rated} is sorted and the window added to it, as the state operator does. */
    public static RecommendationRequest request(String id, int user, int[] window, int... alsoRated) {
        TreeSet<Integer> rated = new TreeSet<>();
        for (int w : window) rated.add(w);
        for (int r : alsoRated) rated.add(r);
        return new RecommendationRequest(
                id,
                user,
                window.length == 0 ? 1 : window[window.length - 1],
                5f,
                1_000_000L + id.hashCode(),
                window,
                rated.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Random requests over items 1..items (plus the odd unknown id), windows of 0..N+2 items. */
    public static List<RecommendationRequest> randomRequests(int count, int items, int windowSize, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<RecommendationRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int[] window = new int[rnd.nextInt(windowSize + 3)];
            for (int j = 0; j < window.length; j++)
                window[j] = rnd.nextInt(20) == 0 ? 10_000 + j : 1 + rnd.nextInt(items);
            int[] extra = new int[rnd.nextInt(15)];
            for (int j = 0; j < extra.length; j++) extra[j] = 1 + rnd.nextInt(items);
            out.add(request("r" + i, 1 + rnd.nextInt(40), window, extra));
        }
        return out;
    }

    public static boolean contains(int[] sorted, int id) {
        return Arrays.binarySearch(sorted, id) >= 0;
    }
}
