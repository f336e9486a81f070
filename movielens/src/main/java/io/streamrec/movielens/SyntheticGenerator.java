package io.streamrec.movielens;

import io.streamrec.schema.Movie;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Simulates users rating items so that a learner has real structure to find, deterministically from a seed.
 *
 * <p>The model: each item has a dominant latent factor (shown as its genre), a quality and a Zipf popularity; each user
 * likes one to three factors. A session sticks mostly to one liked factor, so the items a user picks and rates highly
 * next are predictable from what they rated highly before; the rest are popular items from anywhere, rated lower.
 * Ratings are 1..5 from user-item affinity plus user bias, item quality and noise. Sessions are bursts of events seconds
 * to minutes apart, separated by gaps of hours to weeks. Memory is the output plus O(items × factors + users).
 */
public final class SyntheticGenerator {
    /** The generated events (sorted by time) and the catalogue of every item. */
    public record SyntheticData(EventLog events, List<Movie> movies) {}

    /** How often an event stays in the session's factor, picks another liked factor, or follows global popularity. */
    private static final double P_SESSION_FACTOR = 0.75;

    private static final double P_OTHER_LIKED = 0.10;
    /** Mean events per session is 1 / (1 - P_CONTINUE_SESSION). */
    private static final double P_CONTINUE_SESSION = 0.8;

    private static final long SECOND = 1000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    /** Shorter gaps than this would blur sessions into each other. */
    private static final long SESSION_GAP_MIN = 2 * HOUR;
    /** Users with fewer ratings than this are rare in MovieLens (ml-1m/100k guarantee 20). */
    private static final int MIN_EVENTS_PER_USER = 20;

    private static final int DRAW_ATTEMPTS = 64;

    private final SyntheticConfig config;
    private final SplittableRandom rng;
    private final int k;
    /** Item factor loadings, row-major items × factors; each row sums to 1. */
    private final float[] itemFactors;

    private final int[] dominant;
    private final int[] secondary;
    private final float[] quality;
    /** Per factor, the cumulative sampling weight popularity × loading over items; plus one global popularity row. */
    private final double[][] cumulative;

    private SyntheticGenerator(SyntheticConfig config) {
        this.config = config;
        this.rng = new SplittableRandom(config.seed());
        this.k = config.factors();
        int n = config.items();
        itemFactors = new float[n * k];
        dominant = new int[n];
        secondary = new int[n];
        quality = new float[n];
        cumulative = new double[k + 1][n];
        buildItems();
    }

    /** Generates the events of {@code config}, sorted by time, and the catalogue of its items. */
    public static SyntheticData generate(SyntheticConfig config) {
        SyntheticGenerator g = new SyntheticGenerator(config);
        EventLog events = g.generateEvents();
        return new SyntheticData(events, g.catalogue());
    }

    private void buildItems() {
        int n = config.items();
        double[] popularity = new double[n];
        int[] rank = shuffledRange(n);
        for (int i = 0; i < n; i++) {
            popularity[i] = 1.0 / Math.pow(rank[i] + 1, config.zipfExponent());
            // Earlier genres are more common, as Drama and Comedy are in MovieLens.
            dominant[i] = skewedFactor();
            secondary[i] = (k > 1 && rng.nextDouble() < 0.5) ? (dominant[i] + 1 + rng.nextInt(k - 1)) % k : -1;
            double main = 0.6 + 0.35 * rng.nextDouble();
            double second = secondary[i] >= 0 ? (1 - main) * (0.5 + 0.4 * rng.nextDouble()) : 0;
            double spread = (1 - main - second) / k;
            for (int f = 0; f < k; f++) {
                itemFactors[i * k + f] = (float) spread;
            }
            itemFactors[i * k + dominant[i]] += (float) main;
            if (secondary[i] >= 0) itemFactors[i * k + secondary[i]] += (float) second;
            quality[i] = (float) (0.35 * gaussian());
        }
        for (int f = 0; f <= k; f++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += f == k ? popularity[i] : popularity[i] * itemFactors[i * k + f];
                cumulative[f][i] = sum;
            }
        }
    }

    private EventLog generateEvents() {
        int users = config.users();
        int[] counts = eventsPerUser();
        EventLog log = new EventLog(config.events());
        BitSet rated = new BitSet(config.items());
        int[] ratedList = new int[config.items()];
        int maxCount = 0;
        for (int c : counts) maxCount = Math.max(maxCount, c);
        double[] gaps = new double[maxCount];
        boolean[] newSession = new boolean[maxCount];
        double[] taste = new double[k];
        int[] liked = new int[3];
        long end = config.startMillis() + config.spanMillis();
        for (int u = 0; u < users; u++) {
            int n = counts[u];
            int likedCount = drawTaste(taste, liked);
            double bias = 0.3 * gaussian();
            double maxTaste = 0;
            for (double t : taste) maxTaste = Math.max(maxTaste, t);

            long arrival = config.startMillis() + (long) (0.8 * config.spanMillis() * rng.nextDouble());
            long lifetime = (long) ((end - arrival) * (0.1 + 0.9 * rng.nextDouble()));
            // First the shape of the history: which events open a session and the raw gap before each.
            double fixed = 0;
            double stretchable = 0;
            for (int e = 1; e < n; e++) {
                newSession[e] = rng.nextDouble() >= P_CONTINUE_SESSION;
                if (newSession[e]) {
                    gaps[e] = exponential(1.0);
                    fixed += SESSION_GAP_MIN;
                    stretchable += gaps[e];
                } else {
                    gaps[e] = 3 * SECOND + exponential(45.0 * SECOND);
                    fixed += gaps[e];
                }
            }
            // Then stretch the between-session gaps so the history fills the user's lifetime (ends before the span
            // does).
            double scale = stretchable > 0 ? Math.max(0, lifetime - fixed) / stretchable : 0;
            long t = arrival;
            int sessionFactor = liked[rng.nextInt(likedCount)];
            int ratedCount = 0;
            for (int e = 0; e < n; e++) {
                if (e > 0 && newSession[e]) {
                    t += SESSION_GAP_MIN + (long) (gaps[e] * scale);
                    sessionFactor = liked[rng.nextInt(likedCount)];
                } else if (e > 0) {
                    t += (long) gaps[e];
                }
                double r = rng.nextDouble();
                int row = r < P_SESSION_FACTOR
                        ? sessionFactor
                        : r < P_SESSION_FACTOR + P_OTHER_LIKED ? liked[rng.nextInt(likedCount)] : k;
                int item = drawUnrated(row, rated);
                rated.set(item);
                ratedList[ratedCount++] = item;
                log.add(u + 1, item + 1, stars(taste, maxTaste, item, bias), t);
            }
            for (int i = 0; i < ratedCount; i++) {
                rated.clear(ratedList[i]);
            }
        }
        return log.sortByTime();
    }

    /** Draws the user's taste: 1-3 liked factors holding 85 % of the mass, the rest spread evenly. */
    private int drawTaste(double[] taste, int[] liked) {
        double r = rng.nextDouble();
        int count = Math.min(k, r < 0.4 ? 1 : r < 0.8 ? 2 : 3);
        double[] w = new double[count];
        double sum = 0;
        for (int j = 0; j < count; j++) {
            int f;
            boolean dup;
            do {
                f = skewedFactor();
                dup = false;
                for (int p = 0; p < j; p++) dup |= liked[p] == f;
            } while (dup);
            liked[j] = f;
            w[j] = 0.5 + 0.5 * rng.nextDouble();
            sum += w[j];
        }
        Arrays.fill(taste, 0.15 / k);
        for (int j = 0; j < count; j++) {
            taste[liked[j]] += 0.85 * w[j] / sum;
        }
        return count;
    }

    /** 1..5 stars: affinity relative to the user's strongest taste, so a user with several tastes still rates 5s. */
    private float stars(double[] taste, double maxTaste, int item, double bias) {
        double affinity = 0;
        for (int f = 0; f < k; f++) {
            affinity += taste[f] * itemFactors[item * k + f];
        }
        affinity /= maxTaste;
        double x = 2.0 + 3.0 * affinity + bias + quality[item] + 0.75 * gaussian();
        return (float) Math.max(1, Math.min(5, Math.rint(x)));
    }

    /** An item from the given sampling row that the user has not rated yet. */
    private int drawUnrated(int row, BitSet rated) {
        double[] cdf = cumulative[row];
        for (int attempt = 0; attempt < DRAW_ATTEMPTS; attempt++) {
            int item = search(cdf, rng.nextDouble() * cdf[cdf.length - 1]);
            if (!rated.get(item)) return item;
        }
        // Heavy users exhaust the popular head; fall back to popularity, then to any item not yet rated.
        double[] global = cumulative[k];
        for (int attempt = 0; attempt < DRAW_ATTEMPTS; attempt++) {
            int item = search(global, rng.nextDouble() * global[global.length - 1]);
            if (!rated.get(item)) return item;
        }
        int n = config.items();
        int from = rng.nextInt(n);
        int item = rated.nextClearBit(from);
        return item < n ? item : rated.nextClearBit(0);
    }

    /** Exactly {@code events} in total: a MovieLens-like minimum each, the rest by a heavy-tailed activity level. */
    private int[] eventsPerUser() {
        int users = config.users();
        int items = config.items();
        long events = config.events();
        // Keep heavy users under a third of the catalogue unless the totals force more.
        int cap = Math.max(1, items / 3);
        if ((long) users * cap < events) cap = items;
        int base = (int) Math.min(Math.min(MIN_EVENTS_PER_USER, events / users), cap);
        int[] counts = new int[users];
        double[] activity = new double[users];
        double total = 0;
        for (int u = 0; u < users; u++) {
            counts[u] = base;
            activity[u] = Math.exp(1.1 * gaussian());
            total += activity[u];
        }
        long rest = events - (long) base * users;
        long assigned = (long) base * users;
        for (int u = 0; u < users; u++) {
            int add = (int) Math.min(cap - base, (long) Math.floor(rest * activity[u] / total));
            counts[u] += add;
            assigned += add;
        }
        // Rounding and the cap leave a remainder; hand it out one at a time from a random user on.
        int u = rng.nextInt(users);
        while (assigned < events) {
            if (counts[u] < cap) {
                counts[u]++;
                assigned++;
            }
            u = (u + 1) % users;
        }
        return counts;
    }

    private List<Movie> catalogue() {
        List<String> names = SyntheticConfig.GENRES;
        List<Movie> movies = new ArrayList<>(config.items());
        for (int i = 0; i < config.items(); i++) {
            List<String> genres = secondary[i] >= 0
                    ? List.of(names.get(dominant[i]), names.get(secondary[i]))
                    : List.of(names.get(dominant[i]));
            movies.add(new Movie(i + 1, "Synthetic Movie " + (i + 1), genres));
        }
        return movies;
    }

    /** A factor index, lower ones more likely (weight 1 / sqrt(f + 1)). */
    private int skewedFactor() {
        double total = 0;
        for (int f = 0; f < k; f++) total += 1 / Math.sqrt(f + 1);
        double r = rng.nextDouble() * total;
        for (int f = 0; f < k; f++) {
            r -= 1 / Math.sqrt(f + 1);
            if (r < 0) return f;
        }
        return k - 1;
    }

    private int[] shuffledRange(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
        return a;
    }

    /** First index whose cumulative weight exceeds {@code x}. */
    private static int search(double[] cdf, double x) {
        int lo = 0;
        int hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] > x) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /** Box-Muller on the seeded generator, so results do not depend on a JDK's nextGaussian implementation. */
    private double gaussian() {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    private double exponential(double mean) {
        return -mean * Math.log(1 - rng.nextDouble());
    }
}
