package io.streamrec.joiner;

import io.streamrec.schema.Transition;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One user's open recommendations and how their rewards stand: the pure logic of {@link RewardJoiner}. It is fed the
 * user's events in the user's own order — each rating followed by the decision (slate) it triggered — and the
 * prequential evaluator judges slates on exactly the same order, so reward and metric agree on "the user's future":
 * <ul>
 *   <li>the horizon of the slate for rating e is the user's next H ratings after e (ratings at the same second but
 *       later in the stream count; the rating that triggered the slate never does);</li>
 *   <li>each slate item the user rates within the horizon adds {@code (rating − 3) / 2} (its first rating only), every
 *       other slate item adds {@code unratedReward};</li>
 *   <li>s_{t+1} is the state of the user's next decision;</li>
 *   <li>the transition completes at the first decision after its horizon's last rating — the slate for that rating —
 *       so no slate whose future overlaps this one's labels is still unscored when the learner may train on it (no
 *       look-ahead into the evaluation);</li>
 *   <li>a session end ({@link #closeSession}) completes every open one with whatever horizon it has. A gap in a user's
 *       activity is not the end of the MDP, so this is a truncation: {@code done = false}, the learner bootstraps from
 *       s_{t+1} (s_t itself when no later decision came).</li>
 * </ul>
 * The items the user rated at or above the positive threshold within the horizon (recommended or not) travel along as
 * {@code horizonPositives}: the observed next items the learner's supervised term uses. A transition's
 * {@code eventTime} is the time of the last event it used, so nothing after it leaks in. The joiner keeps the ledger
 * in keyed state ({@link #writeTo}).
 */
public final class RewardLedger implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int horizon;
    private final float unratedReward;
    private final float positiveThreshold;
    private final ArrayList<Open> open = new ArrayList<>();
    private long lastEventTime = Long.MIN_VALUE;

    private static final class Open implements Serializable {
        private static final long serialVersionUID = 1L;
        final SlateDecision decision;
        final boolean[] rated;
        float ratedReward;
        int hits;
        int seen;
        int[] nextWindow;
        long lastUsed;
        final ArrayList<Integer> positives = new ArrayList<>();

        Open(SlateDecision decision) {
            this.decision = decision;
            this.rated = new boolean[decision.slate.length];
            this.lastUsed = decision.eventTime;
        }
    }

    public RewardLedger(int horizon, float unratedReward) {
        this(horizon, unratedReward, 4f);
    }

    /** @param positiveThreshold a rating at or above it puts the item into the transition's horizon positives */
    public RewardLedger(int horizon, float unratedReward, float positiveThreshold) {
        if (horizon < 1) throw new IllegalArgumentException("reward horizon must be >= 1, got " + horizon);
        this.horizon = horizon;
        this.unratedReward = unratedReward;
        this.positiveThreshold = positiveThreshold;
    }

    /**
     * The user's next rating: it counts towards every open slate whose horizon is not full yet. Completes nothing: a
     * transition waits for the decision that follows its horizon's last rating.
     */
    public List<Transition> onRating(int itemId, float rating, long time) {
        lastEventTime = Math.max(lastEventTime, time);
        for (Open o : open) {
            if (o.seen >= horizon) continue;
            o.seen++;
            o.lastUsed = Math.max(o.lastUsed, time);
            if (rating >= positiveThreshold && !o.positives.contains(itemId)) o.positives.add(itemId);
            int[] slate = o.decision.slate;
            for (int i = 0; i < slate.length; i++) {
                if (slate[i] == itemId && !o.rated[i]) {
                    o.rated[i] = true;
                    o.hits++;
                    o.ratedReward += (rating - 3f) / 2f;
                }
            }
        }
        return List.of();
    }

    /**
     * The user's next decision (the slate of the rating just fed): the next state of every open slate that has none,
     * the completion of every open slate whose horizon is full; then it opens.
     */
    public List<Transition> onDecision(SlateDecision d) {
        lastEventTime = Math.max(lastEventTime, d.eventTime);
        List<Transition> done = new ArrayList<>();
        for (Iterator<Open> it = open.iterator(); it.hasNext(); ) {
            Open o = it.next();
            if (o.nextWindow == null) o.nextWindow = d.window.clone();
            o.lastUsed = Math.max(o.lastUsed, d.eventTime);
            if (o.seen >= horizon) {
                done.add(transition(o, false));
                it.remove();
            }
        }
        open.add(new Open(d));
        return done;
    }

    /** The session ended: every open recommendation completes, truncated (done = false; see the class comment). */
    public List<Transition> closeSession() {
        List<Transition> done = new ArrayList<>(open.size());
        for (Open o : open) done.add(transition(o, false));
        open.clear();
        return done;
    }

    public int openCount() {
        return open.size();
    }

    public boolean isEmpty() {
        return open.isEmpty();
    }

    /** Event time of the latest event seen, or Long.MIN_VALUE. */
    public long lastEventTime() {
        return lastEventTime;
    }

    /** Writes the whole ledger for the joiner's keyed state; {@link #readFrom} restores it. */
    void writeTo(DataOutput out) throws IOException {
        out.writeInt(horizon);
        out.writeFloat(unratedReward);
        out.writeFloat(positiveThreshold);
        out.writeLong(lastEventTime);
        out.writeInt(open.size());
        for (Open o : open) {
            JoinStateCodec.writeDecision(out, o.decision);
            for (boolean r : o.rated) out.writeBoolean(r);
            out.writeFloat(o.ratedReward);
            out.writeInt(o.hits);
            out.writeInt(o.seen);
            JoinStateCodec.writeInts(out, o.nextWindow);
            out.writeLong(o.lastUsed);
            out.writeInt(o.positives.size());
            for (int item : o.positives) out.writeInt(item);
        }
    }

    static RewardLedger readFrom(DataInput in) throws IOException {
        RewardLedger ledger = new RewardLedger(in.readInt(), in.readFloat(), in.readFloat());
        ledger.lastEventTime = in.readLong();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            Open o = new Open(JoinStateCodec.readDecision(in));
            for (int j = 0; j < o.rated.length; j++) o.rated[j] = in.readBoolean();
            o.ratedReward = in.readFloat();
            o.hits = in.readInt();
            o.seen = in.readInt();
            o.nextWindow = JoinStateCodec.readInts(in);
            o.lastUsed = in.readLong();
            int positives = in.readInt();
            for (int j = 0; j < positives; j++) o.positives.add(in.readInt());
            ledger.open.add(o);
        }
        return ledger;
    }

    private Transition transition(Open o, boolean done) {
        SlateDecision d = o.decision;
        Transition t = new Transition();
        t.requestId = d.requestId;
        t.userId = d.userId;
        t.policy = d.policy;
        t.modelVersion = d.modelVersion;
        t.state = new Transition.UserState(d.userId, d.window.clone());
        t.action = d.action.clone();
        t.slate = d.slate.clone();
        t.hits = o.hits;
        t.horizonEvents = o.seen;
        t.reward = o.ratedReward + (d.slate.length - o.hits) * unratedReward;
        t.nextState = new Transition.UserState(d.userId, o.nextWindow != null ? o.nextWindow : d.window.clone());
        t.horizonPositives = o.positives.stream().mapToInt(Integer::intValue).toArray();
        t.done = done;
        t.recommendedAt = d.eventTime;
        t.eventTime = o.lastUsed;
        return t;
    }
}
