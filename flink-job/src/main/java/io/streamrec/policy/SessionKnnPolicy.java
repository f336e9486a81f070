package io.streamrec.policy;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.state.RecommendationRequest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Vector-multiplication session kNN (V-SKNN, Ludewig &amp; Jannach 2018): the user's positive-history window is the
 * session, a vector whose items weigh more the more recent they are (linear decay, the newest 1); the neighbours are
 * the {@link #NEIGHBOURS} most similar recent sessions of other users (the current windows of the users who most
 * recently rated the window's items), similarity the weighted overlap over √(|session|·|neighbour|); an item's score
 * is the summed similarity of the neighbours that contain it. Online and incremental, memory bounded: each user's
 * window and, per item, its {@link #RECENT_USERS} most recent raters; ties broken by positive count.
 */
public final class SessionKnnPolicy implements Policy {
    private static final long serialVersionUID = 1L;
    /** Neighbours per recommendation (the paper's k = 100). */
    static final int NEIGHBOURS = 100;
    /** Candidate sessions per window item: its most recent positive raters (the paper samples 500 recent sessions). */
    static final int RECENT_USERS = 100;

    private final ItemCatalog catalog;
    private final double threshold;
    private final int[] positives;
    /** Each user's current positive window (catalogue indexes, oldest first, sorted copy for lookups). */
    private final Map<Integer, int[]> sessions = new HashMap<>();
    /** Per item index: its most recent positive raters, a ring of RECENT_USERS (most recent at head - 1). */
    private final int[][] recent;

    private final int[] recentHead;
    /** Scratch: the session vector of the request being scored (all zero between calls). */
    private transient float[] weight;

    public SessionKnnPolicy(PolicyContext ctx) {
        this.catalog = ctx.catalog();
        this.threshold = ctx.positiveThreshold();
        this.positives = new int[catalog.size()];
        this.recent = new int[catalog.size()][];
        this.recentHead = new int[catalog.size()];
    }

    @Override
    public String name() {
        return "vsknn";
    }

    @Override
    public Slate recommend(RecommendationRequest r, int k) {
        float[] scores = new float[catalog.size()];
        for (int j = 0; j < scores.length; j++) scores[j] = 1e-7f * positives[j];
        int n = r.window.length;
        if (n > 0) {
            // The session vector: position p (oldest 0) weighs (p + 1) / n; a dense row, cleared after use.
            if (weight == null || weight.length != catalog.size()) weight = new float[catalog.size()];
            for (int p = 0; p < n; p++) {
                int i = catalog.indexOf(r.window[p]);
                if (i >= 0) weight[i] = Math.max(weight[i], (p + 1f) / n);
            }
            // Candidates: the recent raters of the window's items (other users with a current window), each once.
            // Primitive arrays throughout: a boxed map and a comparator over it were ~10 % of the soak's samples.
            int[] candidates = new int[n * RECENT_USERS];
            int c = 0;
            for (int p = 0; p < n; p++) {
                int i = catalog.indexOf(r.window[p]);
                if (i < 0 || recent[i] == null) continue;
                for (int user : recent[i]) {
                    if (user != Integer.MIN_VALUE && user != r.userId) candidates[c++] = user;
                }
            }
            Arrays.sort(candidates, 0, c);
            // Each neighbour as one sortable long: similarity descending (non-negative floats order as their bits),
            // then user id ascending.
            long[] ranked = new long[c];
            int m = 0;
            for (int u = 0; u < c; u++) {
                int user = candidates[u];
                if (u > 0 && user == candidates[u - 1]) continue;
                int[] other = sessions.get(user);
                if (other == null) continue; // their window has emptied since
                float overlap = 0;
                for (int j : other) overlap += weight[j];
                float similarity = (float) (overlap / Math.sqrt((double) n * other.length));
                ranked[m++] = ((long) (Integer.MAX_VALUE - Float.floatToIntBits(similarity)) << 32)
                        | ((long) user - Integer.MIN_VALUE);
            }
            Arrays.sort(ranked, 0, m);
            for (int id : r.window) {
                int i = catalog.indexOf(id);
                if (i >= 0) weight[i] = 0;
            }
            for (int t = 0; t < Math.min(NEIGHBOURS, m); t++) {
                float s = Float.intBitsToFloat(Integer.MAX_VALUE - (int) (ranked[t] >>> 32));
                int user = (int) ((ranked[t] & 0xffffffffL) + Integer.MIN_VALUE);
                for (int j : sessions.get(user)) scores[j] += s;
            }
        }
        return Scoring.topK(catalog, scores, k, r.ratedItems);
    }

    /** The user's session becomes their window; a positive rating makes the user a recent rater of its item. */
    @Override
    public void update(RecommendationRequest r) {
        int[] indexes = new int[r.window.length];
        int m = 0;
        for (int id : r.window) {
            int i = catalog.indexOf(id);
            if (i >= 0) indexes[m++] = i;
        }
        if (m == 0) sessions.remove(r.userId);
        else sessions.put(r.userId, Arrays.copyOf(indexes, m));
        if (r.triggerRating < threshold) return;
        int b = catalog.indexOf(r.triggerItemId);
        if (b < 0) return;
        positives[b]++;
        if (recent[b] == null) {
            recent[b] = new int[RECENT_USERS];
            Arrays.fill(recent[b], Integer.MIN_VALUE);
        }
        for (int user : recent[b]) if (user == r.userId) return; // already among its recent raters
        recent[b][recentHead[b]] = r.userId;
        recentHead[b] = (recentHead[b] + 1) % RECENT_USERS;
    }
}
