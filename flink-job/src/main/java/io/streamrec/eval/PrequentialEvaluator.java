package io.streamrec.eval;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.schema.PolicyMetrics;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prequential (test-then-learn) evaluation of any number of policies on one rating stream (Vinagre et al. 2014).
 * Every slate a policy makes at rating event e of user u is judged against u's next {@code horizon} ratings after e
 * — ratings no policy had learned from when it made the slate. Slates and events may arrive in any order relative
 * to each other (the DRR actor answers asynchronously): a slate is tied to its event by the request id, and the
 * future is counted in the user's own event order. A slate is finalised once its horizon is full, or at
 * {@link #finish()} with whatever future there is (a slate with no later rating counts only for coverage and novelty).
 *
 * <p>Metrics are kept cumulatively and per window: every {@code windowEvents} rating events and every
 * {@code windowDays} days of event time (UTC); a window covers the slates finalised in it. Each closing window
 * returns its {@link PolicyMetrics} records (plus the cumulative ones) from the call that closed it.
 */
public final class PrequentialEvaluator implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long DAY_MS = 86_400_000L;

    /** How slates are judged and how often metrics are reported. */
    public record Settings(int k, double positiveThreshold, int horizon, long windowEvents, int windowDays)
            implements Serializable {
        public Settings {
            if (k < 1 || horizon < 1 || windowEvents < 0 || windowDays < 0)
                throw new IllegalArgumentException("bad evaluator settings");
        }
    }

    private final Settings settings;
    private final ItemCatalog catalog;
    private final long[] itemRatings;
    final Map<Integer, UserLog> users = new HashMap<>();
    private final Map<String, Scopes> policies = new LinkedHashMap<>();
    private long events;
    private long droppedLate;
    private long firstEventTime = Long.MIN_VALUE;
    private long lastEventTime = Long.MIN_VALUE;
    private long eventWindowStart = Long.MIN_VALUE;
    private long dayWindowStart = Long.MIN_VALUE;
    private long currentDay = Long.MIN_VALUE;

    public PrequentialEvaluator(Settings settings, ItemCatalog catalog) {
        this.settings = settings;
        this.catalog = catalog;
        this.itemRatings = new long[catalog.size()];
    }

    public Settings settings() {
        return settings;
    }

    /** One rating event of the stream (in per-user order). Returns the metrics of any window it closed. */
    public List<PolicyMetrics> onEvent(int userId, String requestId, int itemId, float rating, long eventTime) {
        List<PolicyMetrics> out = new ArrayList<>();
        if (settings.windowDays > 0) {
            long day = Math.floorDiv(eventTime, DAY_MS * settings.windowDays);
            if (currentDay != Long.MIN_VALUE && day > currentDay) closeWindow(PolicyMetrics.SCOPE_DAY, out);
            if (day > currentDay || currentDay == Long.MIN_VALUE) {
                currentDay = day;
                dayWindowStart = eventTime;
            }
        }
        if (eventWindowStart == Long.MIN_VALUE) eventWindowStart = eventTime;
        if (firstEventTime == Long.MIN_VALUE) firstEventTime = eventTime;
        lastEventTime = Math.max(lastEventTime, eventTime);

        UserLog log = users.get(userId);
        if (log == null) users.put(userId, log = new UserLog());
        int seq = log.append(itemId, rating);
        if (requestId != null) log.seqOf.put(requestId, seq);
        int idx = catalog.indexOf(itemId);
        if (idx >= 0) itemRatings[idx]++;
        events++;

        if (requestId != null) {
            List<Pending> waiting = log.orphans.remove(requestId);
            if (waiting != null)
                for (Pending p : waiting) {
                    p.seq = seq;
                    log.pending.add(p);
                }
        }
        finalizeReady(log, false);

        if (settings.windowEvents > 0 && events % settings.windowEvents == 0) {
            closeWindow(PolicyMetrics.SCOPE_EVENTS, out);
            eventWindowStart = Long.MIN_VALUE;
            out.addAll(cumulative());
        }
        return out;
    }

    /** One slate of {@code policy} for the event {@code requestId} of {@code userId}, items best first. */
    public void onSlate(String policy, int userId, String requestId, int[] items) {
        Scopes scopes = policies.computeIfAbsent(policy, p -> new Scopes(settings.k, catalog.size()));
        int[] indexes = new int[items.length];
        double novelty = 0;
        long usersSeen = users.size();
        for (int i = 0; i < items.length; i++) {
            indexes[i] = catalog.indexOf(items[i]);
            novelty += RankingMetrics.novelty(indexes[i] >= 0 ? itemRatings[indexes[i]] : 0, usersSeen);
        }
        Pending p = new Pending(scopes, items, indexes, novelty);
        UserLog log = users.get(userId);
        Integer seq = log == null ? null : log.seqOf.get(requestId);
        if (seq == null) {
            if (log == null) users.put(userId, log = new UserLog());
            p.arrivedAt = log.end();
            log.orphans.computeIfAbsent(requestId, r -> new ArrayList<>()).add(p);
            return;
        }
        if (seq < log.base) { // the user's log no longer holds this event's future: too late to judge
            droppedLate++;
            return;
        }
        p.seq = seq;
        log.pending.add(p);
        finalizeReady(log, false);
    }

    /** End of the stream: judges every pending slate with the future it has, closes the windows, returns all. */
    public List<PolicyMetrics> finish() {
        for (UserLog log : users.values()) finalizeReady(log, true);
        List<PolicyMetrics> out = new ArrayList<>();
        if (settings.windowDays > 0) closeWindow(PolicyMetrics.SCOPE_DAY, out);
        if (settings.windowEvents > 0) closeWindow(PolicyMetrics.SCOPE_EVENTS, out);
        out.addAll(cumulative());
        return out;
    }

    /** The cumulative metrics of every policy so far, in the order the policies first appeared. */
    public List<PolicyMetrics> cumulative() {
        List<PolicyMetrics> out = new ArrayList<>();
        for (Map.Entry<String, Scopes> e : policies.entrySet()) {
            out.add(record(
                    e.getKey(),
                    PolicyMetrics.SCOPE_CUMULATIVE,
                    firstEventTime,
                    lastEventTime,
                    e.getValue().cumulative));
        }
        return out;
    }

    /** The cumulative accumulators by policy (for gauges and summaries). */
    public Map<String, MetricAccumulator> cumulativeAccumulators() {
        Map<String, MetricAccumulator> m = new LinkedHashMap<>();
        policies.forEach((name, s) -> m.put(name, s.cumulative));
        return m;
    }

    public long events() {
        return events;
    }

    private void finalizeReady(UserLog log, boolean flush) {
        int keepFrom = log.end() - settings.horizon - RETAINED_LATE;
        for (Iterator<Pending> it = log.pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            int available = log.end() - 1 - p.seq;
            if (available < settings.horizon && !flush) {
                keepFrom = Math.min(keepFrom, p.seq);
                continue;
            }
            int n = Math.min(available, settings.horizon);
            int from = p.seq + 1 - log.base;
            int[] items = Arrays.copyOfRange(log.items, from, from + n);
            float[] ratings = Arrays.copyOfRange(log.ratings, from, from + n);
            p.scopes.add(p, items, ratings, settings.positiveThreshold);
            it.remove();
        }
        if (flush) {
            log.orphans.clear();
            return;
        }
        log.trim(keepFrom);
        if (!log.orphans.isEmpty()) { // slates whose event never came, or came so long ago that its id was forgotten
            int limit = log.end() - settings.horizon - RETAINED_LATE;
            for (Iterator<List<Pending>> it = log.orphans.values().iterator(); it.hasNext(); ) {
                List<Pending> waiting = it.next();
                if (waiting.get(0).arrivedAt < limit) {
                    droppedLate += waiting.size();
                    it.remove();
                }
            }
        }
    }

    /**
     * Slates that arrived more than this many of their user's events (beyond the horizon) late are not judged. The DRR
     * actor answers asynchronously (up to {@code async.capacity} = 512 requests in flight per subtask, plus network
     * buffers), so on a busy machine a bursty user's ratings can run hundreds of events ahead of their slates; this
     * bound must stay well above that, or slates are dropped depending on load. Only heavy users' logs reach it.
     */
    static final int RETAINED_LATE = 2048;

    /** Slates that came too late to be judged (their event had left the user's retained log). */
    public long droppedLate() {
        return droppedLate;
    }

    private void closeWindow(String scope, List<PolicyMetrics> out) {
        long start = scope.equals(PolicyMetrics.SCOPE_DAY) ? dayWindowStart : eventWindowStart;
        for (Map.Entry<String, Scopes> e : policies.entrySet()) {
            Scopes s = e.getValue();
            MetricAccumulator acc = scope.equals(PolicyMetrics.SCOPE_DAY) ? s.day : s.window;
            if (acc.slates() > 0) out.add(record(e.getKey(), scope, start, lastEventTime, acc));
            if (scope.equals(PolicyMetrics.SCOPE_DAY)) s.day = new MetricAccumulator(settings.k, catalog.size());
            else s.window = new MetricAccumulator(settings.k, catalog.size());
        }
    }

    private PolicyMetrics record(String policy, String scope, long start, long end, MetricAccumulator acc) {
        PolicyMetrics m = new PolicyMetrics();
        m.policy = policy;
        m.scope = scope;
        m.k = settings.k;
        m.windowStart = start == Long.MIN_VALUE ? (end == Long.MIN_VALUE ? 0 : end) : start;
        m.windowEnd = end == Long.MIN_VALUE ? 0 : end;
        m.eventsSeen = events;
        m.count = acc.slates();
        acc.values().forEach((name, v) -> {
            if (!Double.isNaN(v)) m.values.put(name, v);
        });
        return m;
    }

    /** A slate waiting for its future. Its arrays are written by hand: see {@link UserLog}. */
    static final class Pending implements Serializable {
        private static final long serialVersionUID = 2L;
        final Scopes scopes;
        transient int[] items;
        transient int[] indexes;
        final double novelty;
        int seq = -1;
        /** For a slate that came before its event: the user's log end when it arrived. */
        int arrivedAt;

        Pending(Scopes scopes, int[] items, int[] indexes, double novelty) {
            this.scopes = scopes;
            this.items = items;
            this.indexes = indexes;
            this.novelty = novelty;
        }

        @Serial
        private void writeObject(ObjectOutputStream out) throws IOException {
            out.defaultWriteObject();
            writeInts(out, items);
            writeInts(out, indexes);
        }

        @Serial
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            items = readInts(in);
            indexes = readInts(in);
        }
    }

    /** One policy's cumulative and windowed accumulators. */
    static final class Scopes implements Serializable {
        private static final long serialVersionUID = 1L;
        final MetricAccumulator cumulative;
        MetricAccumulator window;
        MetricAccumulator day;

        Scopes(int k, int catalogSize) {
            cumulative = new MetricAccumulator(k, catalogSize);
            window = new MetricAccumulator(k, catalogSize);
            day = new MetricAccumulator(k, catalogSize);
        }

        void add(Pending p, int[] futureItems, float[] futureRatings, double threshold) {
            cumulative.add(p.items, p.indexes, p.novelty, futureItems, futureRatings, threshold);
            window.add(p.items, p.indexes, p.novelty, futureItems, futureRatings, threshold);
            day.add(p.items, p.indexes, p.novelty, futureItems, futureRatings, threshold);
        }
    }

    /**
     * One user's ratings in arrival order, the slates waiting for them and slates that came before their event. Its
     * collections are written by hand (checkpoints): Java's default form of thousands of small maps of boxed request
     * ids stalled the evaluator's thread for about a second per checkpoint in the soak, and with it the stream that
     * feeds serving.
     */
    static final class UserLog implements Serializable {
        private static final long serialVersionUID = 2L;
        /** Sequence number (in the user's own event order) of items[0]; older events have been dropped. */
        int base;

        transient int[] items = new int[8];
        transient float[] ratings = new float[8];
        int size;
        transient Map<String, Integer> seqOf = new HashMap<>();
        transient List<Pending> pending = new ArrayList<>();
        transient Map<String, List<Pending>> orphans = new HashMap<>();

        @Serial
        private void writeObject(ObjectOutputStream out) throws IOException {
            out.defaultWriteObject();
            for (int i = 0; i < size; i++) {
                out.writeInt(items[i]);
                out.writeFloat(ratings[i]);
            }
            out.writeInt(seqOf.size());
            for (Map.Entry<String, Integer> e : seqOf.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue());
            }
            writePending(out, pending);
            out.writeInt(orphans.size());
            for (Map.Entry<String, List<Pending>> e : orphans.entrySet()) {
                out.writeUTF(e.getKey());
                writePending(out, e.getValue());
            }
        }

        @Serial
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            int capacity = Math.max(8, size);
            items = new int[capacity];
            ratings = new float[capacity];
            for (int i = 0; i < size; i++) {
                items[i] = in.readInt();
                ratings[i] = in.readFloat();
            }
            seqOf = new HashMap<>();
            for (int i = in.readInt(); i > 0; i--) seqOf.put(in.readUTF(), in.readInt());
            pending = readPending(in);
            orphans = new HashMap<>();
            for (int i = in.readInt(); i > 0; i--) orphans.put(in.readUTF(), readPending(in));
        }

        private static void writePending(ObjectOutputStream out, List<Pending> list) throws IOException {
            out.writeInt(list.size());
            for (Pending p : list) out.writeObject(p); // by reference: the scopes they share stay shared
        }

        private static List<Pending> readPending(ObjectInputStream in) throws IOException, ClassNotFoundException {
            int n = in.readInt();
            List<Pending> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) list.add((Pending) in.readObject());
            return list;
        }

        /** One past the sequence number of the newest event. */
        int end() {
            return base + size;
        }

        int append(int item, float rating) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
                ratings = Arrays.copyOf(ratings, size * 2);
            }
            items[size] = item;
            ratings[size] = rating;
            return base + size++;
        }

        /** Forgets the events before sequence number {@code keepFrom} (bounded state in an unbounded stream). */
        void trim(int keepFrom) {
            int drop = keepFrom - base;
            if (drop < 64 || drop < size / 2) return; // amortised: compact in chunks
            items = Arrays.copyOfRange(items, drop, Math.max(drop + 8, size));
            ratings = Arrays.copyOfRange(ratings, drop, Math.max(drop + 8, size));
            size -= drop;
            base = keepFrom;
            seqOf.values().removeIf(seq -> seq < keepFrom);
        }
    }

    private static void writeInts(ObjectOutputStream out, int[] a) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a != null) for (int v : a) out.writeInt(v);
    }

    private static int[] readInts(ObjectInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = in.readInt();
        return a;
    }
}
