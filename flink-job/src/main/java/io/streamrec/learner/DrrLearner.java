package io.streamrec.learner;

import io.streamrec.actor.ActorWeights;
import io.streamrec.actor.ActorWeightsDelta;
import io.streamrec.actor.StateRepresentation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The online DRR learner (Liu et al. 2018, actor-critic / DDPG): a DRR-ave, DRR-p or DRR-u state representation
 * ({@link StateRepresentation}, taken from the initial weights; position weights, user and item embedding rows) of
 * width S (3d for ave, (N + N(N-1)/2)·d for p and u), the actor MLP {@code S→h→h→d} (tanh), the critic MLP
 * {@code [s ⊕ a] (S+d)→h'→h'→1},
 * target copies of both updated softly (τ), Adam everywhere, and a proportional prioritized replay buffer.
 *
 * <p>One step ({@link #trainStep()}): sample B transitions by priority; {@code y = r + γ(1−done)·Q'(s', μ'(s'))};
 * critic loss {@code ½·mean(w·(Q(s,a)−y)²)} with PER importance weights w, back-propagated into the critic and into the
 * state representation (pooling weights, the user row and the window's item rows); actor loss {@code −mean Q(s, μ(s))}
 * into the actor only; an auxiliary item-level logistic loss (weight {@code auxWeight}, 0 = pure DRR): the items the
 * user rated positively within the reward horizon should score high under μ(s), random items low — it trains the
 * actor, the item rows (the scoring path {@code a·e} that the critic cannot reach through top-k) and the state
 * representation; new priorities {@code |δ|+ε}; soft target updates. The target networks compute s' with the
 * current state representation (a simplification of DRR, whose public code keeps embeddings fixed). A step whose
 * losses or gradients are not all finite changes nothing and is counted in {@link #skippedSteps()}.
 *
 * <p>Not thread-safe: one thread owns a learner. Everything — parameters, targets, Adam moments, replay buffer, RNG,
 * step and version counters, the last published weights — is in this serialisable object, so {@link #snapshot()} /
 * {@link #restore(byte[])} reproduce it bit for bit.
 *
 * <p>Cold start: a user without a learned row starts from {@link ActorWeights#coldStartUserRow} (a pure function of
 * seed and user id, the same row serving uses); items outside the catalogue are masked out of the state.
 */
public final class DrrLearner implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Result of one training step. */
    public record StepResult(boolean trained, boolean skipped, float criticLoss, float actorLoss, float auxLoss,
                             float meanAbsTdError) implements Serializable {
        static final StepResult NOT_TRAINED = new StepResult(false, false, Float.NaN, Float.NaN, Float.NaN, Float.NaN);
    }

    /** One publication: a full snapshot, or a delta against the previous publication. Exactly one is set. */
    public record Publication(long version, ActorWeights full, ActorWeightsDelta delta, ActorWeights weights) {
        public boolean isFull() {
            return full != null;
        }
    }

    private final LearnerSettings settings;
    private final long seed;
    private final int d;
    private final int n;
    private final StateRepresentation rep;
    /** Width of the state vector. */
    private final int sd;
    private final int[] itemIds;
    private final float[] itemMatrix;
    private final HashMap<Integer, float[]> userRows = new HashMap<>();
    private final float[] pool;
    private final Mlp actor;
    private final Mlp critic;
    private final Mlp actorTarget;
    private final Mlp criticTarget;
    private final Adam actorOpt;
    private final Adam criticOpt;
    private final Adam embeddingOpt;
    private final PrioritizedReplayBuffer<Experience> buffer;
    private final Rng rng;
    private long observed;
    private long steps;
    private long skipped;
    private long dropped;
    private long publishedAtStep;
    private long version;
    private ActorWeights lastPublished;
    private long publications;
    private StepResult lastStep = StepResult.NOT_TRAINED;

    /** Starts from {@code initial} (e.g. the seeded v0 that serving also starts from); the critic is seeded. */
    public DrrLearner(LearnerSettings settings, ActorWeights initial) {
        this.settings = settings.copy().validate();
        this.seed = initial.seed();
        this.d = initial.embeddingDim();
        this.n = initial.windowSize();
        this.rep = initial.stateRepresentation();
        this.sd = initial.stateDim();
        int h = initial.hiddenDim();
        this.itemIds = new int[initial.itemCount()];
        for (int i = 0; i < itemIds.length; i++) itemIds[i] = initial.itemIdAt(i);
        this.itemMatrix = initial.itemMatrix();
        for (int u : initial.learnedUserIds()) userRows.put(u, initial.userRow(u));
        this.pool = initial.tensor(ActorWeights.POOL);
        MlpBackend backend = this.settings.backend;
        this.actor = new Mlp(new int[] {sd, h, h, d}, true,
                new float[][] {initial.tensor(ActorWeights.FC1_WEIGHT), initial.tensor(ActorWeights.FC2_WEIGHT),
                        initial.tensor(ActorWeights.FC3_WEIGHT)},
                new float[][] {initial.tensor(ActorWeights.FC1_BIAS), initial.tensor(ActorWeights.FC2_BIAS),
                        initial.tensor(ActorWeights.FC3_BIAS)}, backend);
        this.rng = new Rng(this.settings.seed ^ 0x4C4541524E4552L);
        int ch = this.settings.criticHiddenDim;
        this.critic = Mlp.glorot(new int[] {sd + d, ch, ch, 1}, false, rng).withBackend(backend);
        this.actorTarget = actor.copy();
        this.criticTarget = critic.copy();
        this.actorOpt = new Adam(this.settings.actorLr, actor.parameters());
        this.criticOpt = new Adam(this.settings.criticLr, critic.parameters());
        this.embeddingOpt = new Adam(this.settings.embeddingLr, new float[][] {pool});
        this.buffer = new PrioritizedReplayBuffer<>(this.settings.bufferCapacity, this.settings.alpha,
                this.settings.beta0, this.settings.betaSteps, this.settings.priorityEps);
        this.version = initial.version();
        this.lastPublished = initial;
    }

    // ---------------------------------------------------------------- experience and training

    /** Adds a transition; trains one step when M new transitions have arrived and the buffer is warm. */
    public StepResult observe(Experience e) {
        return observe(e, true);
    }

    /**
     * As {@link #observe(Experience)}, but a due step is only taken when {@code mayTrain}; otherwise it is dropped and
     * counted ({@link #droppedSteps()}): the operator's time budget, so that a slow learner never backpressures serving.
     */
    public StepResult observe(Experience e, boolean mayTrain) {
        if (e.action().length != d) {
            throw new IllegalArgumentException("action has " + e.action().length + " values, expected " + d);
        }
        buffer.add(e);
        observed++;
        if (observed % settings.trainEvery == 0 && buffer.size() >= Math.max(settings.warmup, settings.batchSize)) {
            if (mayTrain) return trainStep();
            dropped++;
        }
        return StepResult.NOT_TRAINED;
    }

    /** One training step on a prioritized batch (see the class comment). */
    public StepResult trainStep() {
        if (buffer.size() == 0) return StepResult.NOT_TRAINED;
        int batch = settings.batchSize;
        PrioritizedReplayBuffer.Sample<Experience> sample = buffer.sample(batch, rng);
        List<Experience> xs = sample.entries();
        float[] w = sample.weights();

        // States s and s' under the current representation.
        StateBatch s = stateBatch(xs, false);
        StateBatch s2 = stateBatch(xs, true);

        // Targets y = r + γ(1-done) Q'(s', μ'(s')).
        float[] a2 = actorTarget.forward(s2.state, batch).output();
        float[] q2 = criticTarget.forward(concat(s2.state, sd, a2, d, batch), batch).output();
        float[] y = new float[batch];
        for (int b = 0; b < batch; b++) {
            Experience e = xs.get(b);
            y[b] = e.reward() + (e.done() ? 0f : settings.gamma * q2[b]);
        }

        // Critic: ½·mean(w·δ²).
        float[] criticIn = concat(s.state, sd, actionsOf(xs), d, batch);
        Mlp.Cache qc = critic.forward(criticIn, batch);
        float[] q = qc.output();
        float[] td = new float[batch];
        float[] dq = new float[batch];
        double criticLoss = 0;
        double absTd = 0;
        for (int b = 0; b < batch; b++) {
            td[b] = q[b] - y[b];
            criticLoss += 0.5 * w[b] * td[b] * td[b];
            absTd += Math.abs(td[b]);
            dq[b] = w[b] * td[b] / batch;
        }
        criticLoss /= batch;
        float[][] criticGrads = critic.zeroGradients();
        float[] dCriticIn = critic.backward(qc, dq, criticGrads);

        // Actor: -mean Q(s, μ(s)); the gradient flows through the critic (without updating it) into the actor.
        Mlp.Cache ac = actor.forward(s.state, batch);
        float[] act = ac.output();
        Mlp.Cache qa = critic.forward(concat(s.state, sd, act, d, batch), batch);
        double actorLoss = 0;
        float[] dqa = new float[batch];
        for (int b = 0; b < batch; b++) {
            actorLoss -= qa.output()[b];
            dqa[b] = -1f / batch;
        }
        actorLoss /= batch;
        float[] dIn = critic.backward(qa, dqa, null);
        float[] dAct = new float[batch * d];
        for (int b = 0; b < batch; b++) System.arraycopy(dIn, b * (sd + d) + sd, dAct, b * d, d);
        float[][] actorGrads = actor.zeroGradients();
        actor.backward(ac, dAct, actorGrads);

        // State representation gradients from the critic loss.
        float[] dState = new float[batch * sd];
        for (int b = 0; b < batch; b++) System.arraycopy(dCriticIn, b * (sd + d), dState, b * sd, sd);
        float[] poolGrad = new float[n];
        TreeMap<Integer, float[]> userGrads = new TreeMap<>();
        TreeMap<Integer, float[]> itemGrads = new TreeMap<>();

        // Auxiliary item-level loss (weight λ): the items the user rated positively within the horizon should score
        // high under μ(s), random items low (logistic loss on a·e). Into the actor, the item rows and the state.
        double auxLoss = 0;
        if (settings.auxWeight > 0) {
            float[] dActAux = new float[batch * d];
            float scale = settings.auxWeight / batch;
            for (int b = 0; b < batch; b++) {
                for (int p : xs.get(b).positives()) {
                    int idx = itemIndexOf(p);
                    if (idx < 0) continue;
                    auxLoss += auxTerm(act, b, idx, 1f, scale, dActAux, itemGrads);
                    for (int k = 0; k < settings.auxNegatives; k++) {
                        auxLoss += auxTerm(act, b, rng.nextInt(itemIds.length), 0f, scale, dActAux, itemGrads);
                    }
                }
            }
            auxLoss *= settings.auxWeight / batch;
            float[] dStateAux = actor.backward(ac, dActAux, actorGrads);
            for (int i = 0; i < dState.length; i++) dState[i] += dStateAux[i];
        }
        stateBackward(s, dState, poolGrad, userGrads, itemGrads);

        if (!Double.isFinite(criticLoss) || !Double.isFinite(actorLoss) || !Double.isFinite(auxLoss) || !finite(criticGrads) || !finite(actorGrads)
                || !finite(new float[][] {poolGrad}) || !finite(userGrads) || !finite(itemGrads)) {
            skipped++;
            lastStep = new StepResult(true, true, (float) criticLoss, (float) actorLoss, (float) auxLoss,
                    (float) (absTd / batch));
            return lastStep;
        }
        clip(criticGrads, settings.gradClip);
        clip(actorGrads, settings.gradClip);

        criticOpt.tick();
        criticOpt.step(critic.parameters(), criticGrads);
        actorOpt.tick();
        actorOpt.step(actor.parameters(), actorGrads);
        embeddingOpt.tick();
        embeddingOpt.step(new float[][] {pool}, new float[][] {poolGrad});
        for (Map.Entry<Integer, float[]> e : userGrads.entrySet()) {
            float[] row = userRows.computeIfAbsent(e.getKey(), u -> ActorWeights.coldStartUserRow(seed, u, d));
            embeddingOpt.stepRow(((long) e.getKey() << 1) | 1L, row, 0, e.getValue());
        }
        for (Map.Entry<Integer, float[]> e : itemGrads.entrySet()) {
            embeddingOpt.stepRow((long) e.getKey() << 1, itemMatrix, e.getKey() * d, e.getValue());
        }
        critic.softUpdateInto(criticTarget, settings.tau);
        actor.softUpdateInto(actorTarget, settings.tau);
        buffer.updatePriorities(sample.slots(), td);
        steps++;
        lastStep = new StepResult(true, false, (float) criticLoss, (float) actorLoss, (float) auxLoss,
                (float) (absTd / batch));
        return lastStep;
    }

    /** One logistic term of the auxiliary loss; returns its (unscaled) loss and accumulates scaled gradients. */
    private double auxTerm(float[] act, int b, int idx, float label, float scale, float[] dAct,
                           Map<Integer, float[]> itemGrads) {
        int ao = b * d;
        int ro = idx * d;
        float z = 0f;
        for (int c = 0; c < d; c++) z += act[ao + c] * itemMatrix[ro + c];
        double sig = 1 / (1 + Math.exp(-z));
        double loss = label > 0 ? softplus(-z) : softplus(z);
        float g = (float) (sig - label) * scale;
        float[] de = itemGrads.computeIfAbsent(idx, k -> new float[d]);
        for (int c = 0; c < d; c++) {
            dAct[ao + c] += g * itemMatrix[ro + c];
            de[c] += g * act[ao + c];
        }
        return loss;
    }

    private static double softplus(double x) {
        return x > 30 ? x : Math.log1p(Math.exp(x));
    }

    /** Per-sample state inputs kept for the backward pass into the representation. */
    private static final class StateBatch {
        float[] state;
        int[] users;
        /** Item row index per (sample, slot), -1 when the slot is empty or the item unknown. */
        int[] slotItems;
        int[] present;
        float[] avg;
    }

    private StateBatch stateBatch(List<Experience> xs, boolean next) {
        int batch = xs.size();
        StateBatch sb = new StateBatch();
        sb.state = new float[batch * sd];
        sb.users = new int[batch];
        sb.slotItems = new int[batch * n];
        sb.present = new int[batch];
        sb.avg = new float[batch * d];
        float[] u = new float[d];
        for (int b = 0; b < batch; b++) {
            Experience e = xs.get(b);
            sb.users[b] = e.userId();
            int[] window = next ? e.nextWindow() : e.window();
            writeState(e.userId(), window, u, sb.state, b * sd, sb.slotItems, b * n, sb.avg, b * d);
            int c = 0;
            for (int j = 0; j < n; j++) if (sb.slotItems[b * n + j] >= 0) c++;
            sb.present[b] = c;
        }
        return sb;
    }

    /**
     * Writes the state of one window at {@code dst[off..off+sd)} (window right-aligned, as serving computes it) and
     * the item row index of each slot (-1 when empty or unknown).
     * DRR-ave: s = concat(u, u⊙avg, avg), avg = Σ mₙ·wₙ·eₙ / max(1, Σ mₙ).
     * DRR-p / DRR-u: see {@link #writePairState}.
     */
    private void writeState(int userId, int[] window, float[] u, float[] dst, int off, int[] slots, int slotOff,
                            float[] avgDst, int avgOff) {
        if (rep == StateRepresentation.AVE) writeAveState(userId, window, u, dst, off, slots, slotOff, avgDst, avgOff);
        else writePairState(userId, window, u, dst, off, slots, slotOff);
    }

    /** Right-aligns the window into slots: the item row index of each of the N slots, -1 when empty or unknown. */
    private void fillSlots(int[] window, int[] slots, int slotOff) {
        int len = Math.min(window.length, n);
        Arrays.fill(slots, slotOff, slotOff + n, -1);
        for (int j = 0; j < len; j++) {
            slots[slotOff + n - len + j] = itemIndexOf(window[window.length - len + j]);
        }
    }

    /**
     * DRR-p: s = [e_1..e_N, w_i e_i ⊙ w_j e_j (i<j)]; DRR-u: s = [u ⊙ w_n e_n (each n), w_i e_i ⊙ w_j e_j (i<j)];
     * a missing slot's e is zero; pairs in lexicographic order.
     */
    private void writePairState(int userId, int[] window, float[] u, float[] dst, int off, int[] slots, int slotOff) {
        copyUserRow(userId, u);
        fillSlots(window, slots, slotOff);
        Arrays.fill(dst, off, off + sd, 0f);
        boolean userItem = rep == StateRepresentation.U;
        for (int slot = 0; slot < n; slot++) {
            int index = slots[slotOff + slot];
            if (index < 0) continue;
            int ro = index * d;
            int o = off + slot * d;
            float w = pool[slot];
            for (int c = 0; c < d; c++) dst[o + c] = userItem ? u[c] * w * itemMatrix[ro + c] : itemMatrix[ro + c];
        }
        int o = off + n * d;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++, o += d) {
                int a = slots[slotOff + i];
                int b = slots[slotOff + j];
                if (a < 0 || b < 0) continue;
                float ww = pool[i] * pool[j];
                int ra = a * d;
                int rb = b * d;
                for (int c = 0; c < d; c++) dst[o + c] = ww * itemMatrix[ra + c] * itemMatrix[rb + c];
            }
        }
    }

    private void writeAveState(int userId, int[] window, float[] u, float[] dst, int off, int[] slots, int slotOff,
                            float[] avgDst, int avgOff) {
        copyUserRow(userId, u);
        int len = Math.min(window.length, n);
        Arrays.fill(slots, slotOff, slotOff + n, -1);
        float[] sum = new float[d];
        int present = 0;
        for (int j = 0; j < len; j++) {
            int itemId = window[window.length - len + j];
            int slot = n - len + j;
            int index = itemIndexOf(itemId);
            if (index < 0) continue;
            slots[slotOff + slot] = index;
            present++;
            float pw = pool[slot];
            int ro = index * d;
            for (int c = 0; c < d; c++) sum[c] += pw * itemMatrix[ro + c];
        }
        float denom = Math.max(1, present);
        for (int c = 0; c < d; c++) {
            float avg = sum[c] / denom;
            avgDst[avgOff + c] = avg;
            dst[off + c] = u[c];
            dst[off + d + c] = u[c] * avg;
            dst[off + 2 * d + c] = avg;
        }
    }

    private void stateBackward(StateBatch sb, float[] dState, float[] poolGrad, Map<Integer, float[]> userGrads,
                               Map<Integer, float[]> itemGrads) {
        if (rep != StateRepresentation.AVE) {
            pairStateBackward(sb, dState, poolGrad, userGrads, itemGrads);
            return;
        }
        int batch = sb.users.length;
        float[] u = new float[d];
        float[] dAvg = new float[d];
        for (int b = 0; b < batch; b++) {
            int so = b * sd;
            copyUserRow(sb.users[b], u);
            float[] du = userGrads.computeIfAbsent(sb.users[b], k -> new float[d]);
            for (int c = 0; c < d; c++) {
                float avg = sb.avg[b * d + c];
                du[c] += dState[so + c] + dState[so + d + c] * avg;
                dAvg[c] = dState[so + d + c] * u[c] + dState[so + 2 * d + c];
            }
            float denom = Math.max(1, sb.present[b]);
            for (int slot = 0; slot < n; slot++) {
                int index = sb.slotItems[b * n + slot];
                if (index < 0) continue;
                float[] de = itemGrads.computeIfAbsent(index, k -> new float[d]);
                float pw = pool[slot] / denom;
                int ro = index * d;
                float gp = 0f;
                for (int c = 0; c < d; c++) {
                    de[c] += dAvg[c] * pw;
                    gp += dAvg[c] * itemMatrix[ro + c];
                }
                poolGrad[slot] += gp / denom;
            }
        }
    }

    /** Backward of {@link #writePairState}: into the position weights, the user rows (DRR-u only) and the item rows. */
    private void pairStateBackward(StateBatch sb, float[] dState, float[] poolGrad, Map<Integer, float[]> userGrads,
                                   Map<Integer, float[]> itemGrads) {
        int batch = sb.users.length;
        boolean userItem = rep == StateRepresentation.U;
        float[] u = new float[d];
        for (int b = 0; b < batch; b++) {
            int so = b * sd;
            int slotOff = b * n;
            float[] du = null;
            if (userItem) {
                copyUserRow(sb.users[b], u);
                du = userGrads.computeIfAbsent(sb.users[b], k -> new float[d]);
            }
            for (int slot = 0; slot < n; slot++) {
                int index = sb.slotItems[slotOff + slot];
                if (index < 0) continue;
                float[] de = itemGrads.computeIfAbsent(index, k -> new float[d]);
                int ro = index * d;
                int o = so + slot * d;
                if (!userItem) {
                    for (int c = 0; c < d; c++) de[c] += dState[o + c];
                } else {
                    float w = pool[slot];
                    float gw = 0f;
                    for (int c = 0; c < d; c++) {
                        float g = dState[o + c];
                        float e = itemMatrix[ro + c];
                        du[c] += g * w * e;
                        de[c] += g * w * u[c];
                        gw += g * u[c] * e;
                    }
                    poolGrad[slot] += gw;
                }
            }
            int o = so + n * d;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++, o += d) {
                    int a = sb.slotItems[slotOff + i];
                    int c2 = sb.slotItems[slotOff + j];
                    if (a < 0 || c2 < 0) continue;
                    float[] dea = itemGrads.computeIfAbsent(a, k -> new float[d]);
                    float[] deb = itemGrads.computeIfAbsent(c2, k -> new float[d]);
                    float ww = pool[i] * pool[j];
                    int ra = a * d;
                    int rb = c2 * d;
                    float t = 0f;
                    for (int c = 0; c < d; c++) {
                        float g = dState[o + c];
                        float ea = itemMatrix[ra + c];
                        float eb = itemMatrix[rb + c];
                        dea[c] += g * ww * eb;
                        deb[c] += g * ww * ea;
                        t += g * ea * eb;
                    }
                    poolGrad[i] += pool[j] * t;
                    poolGrad[j] += pool[i] * t;
                }
            }
        }
    }

    // ---------------------------------------------------------------- acting (for offline use and tests)

    /** μ(s) for one state under the current parameters. */
    public float[] action(int userId, int[] window) {
        float[] s = new float[sd];
        writeState(userId, window == null ? new int[0] : window, new float[d], s, 0, new int[n], 0, new float[d], 0);
        return actor.forward(s, 1).output();
    }

    /** Q(s, a) under the current critic. */
    public float q(int userId, int[] window, float[] action) {
        float[] s = new float[sd];
        writeState(userId, window == null ? new int[0] : window, new float[d], s, 0, new int[n], 0, new float[d], 0);
        return critic.forward(concat(s, sd, action, d, 1), 1).output()[0];
    }

    /** Scores {@code action · e_i} of every item, catalogue index order. */
    public float[] scores(float[] action) {
        float[] out = new float[itemIds.length];
        for (int i = 0; i < out.length; i++) {
            float acc = 0f;
            int ro = i * d;
            for (int c = 0; c < d; c++) acc += action[c] * itemMatrix[ro + c];
            out[i] = acc;
        }
        return out;
    }

    // ---------------------------------------------------------------- publication

    /** The current actor as immutable weights under the current version (no new version). */
    public ActorWeights currentWeights() {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        tensors.put(ActorWeights.POOL, pool);
        tensors.put(ActorWeights.FC1_WEIGHT, actor.weights[0]);
        tensors.put(ActorWeights.FC1_BIAS, actor.biases[0]);
        tensors.put(ActorWeights.FC2_WEIGHT, actor.weights[1]);
        tensors.put(ActorWeights.FC2_BIAS, actor.biases[1]);
        tensors.put(ActorWeights.FC3_WEIGHT, actor.weights[2]);
        tensors.put(ActorWeights.FC3_BIAS, actor.biases[2]);
        return new ActorWeights(version, seed, d, actor.sizes[1], n, rep, tensors, itemIds, itemMatrix, userRows);
    }

    /**
     * Makes the next version: a full snapshot every {@code fullEvery}-th publication (and the first), otherwise a
     * delta against the last publication (dense tensors that changed, embedding rows that changed). Returns null, and
     * publishes nothing, when any parameter is non-finite (never reached through {@link #trainStep()}, which skips
     * non-finite steps) or when nothing changed since the last publication.
     */
    public Publication publish(int fullEvery) {
        publishedAtStep = steps;
        ActorWeights next;
        try {
            next = currentWeights().withVersion(version + 1);
        } catch (IllegalArgumentException nonFinite) {
            return null;
        }
        ActorWeightsDelta delta = ActorWeightsDelta.between(lastPublished, next);
        if (delta.tensorNames().isEmpty() && delta.itemIds().isEmpty() && delta.userIds().isEmpty()) {
            return null;
        }
        boolean full = publications == 0 || fullEvery <= 1 || publications % fullEvery == 0;
        version = next.version();
        lastPublished = next;
        publications++;
        return full ? new Publication(version, next, null, next) : new Publication(version, null, delta, next);
    }

    // ---------------------------------------------------------------- checkpointing

    /**
     * Moves all four networks to {@code backend} (between steps): a restored learner computes where its snapshot did
     * until told otherwise, and a job restarted from a checkpoint with another {@code learner.backend} tells it.
     */
    public void computeOn(MlpBackend backend) {
        settings.backend = backend;
        for (Mlp network : new Mlp[] {actor, critic, actorTarget, criticTarget}) network.computeOn(backend);
    }

    public byte[] snapshot() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static DrrLearner restore(byte[] snapshot) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(snapshot))) {
            return (DrrLearner) in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- accessors and metrics

    public long steps() {
        return steps;
    }

    public long skippedSteps() {
        return skipped;
    }

    /** Due steps not taken for lack of time budget. */
    public long droppedSteps() {
        return dropped;
    }

    /** The step counter at the last {@link #publish} call. */
    public long publishedAtStep() {
        return publishedAtStep;
    }

    public long observed() {
        return observed;
    }

    public long version() {
        return version;
    }

    public int bufferSize() {
        return buffer.size();
    }

    public StepResult lastStep() {
        return lastStep;
    }

    public StateRepresentation stateRepresentation() {
        return rep;
    }

    public int embeddingDim() {
        return d;
    }

    public LearnerSettings settings() {
        return settings.copy();
    }

    PrioritizedReplayBuffer<Experience> buffer() {
        return buffer;
    }

    Mlp critic() {
        return critic;
    }

    Mlp actor() {
        return actor;
    }

    /** Test hook: gradients of a state vector's loss into the position weights, the user row and item rows. */
    record StateGradient(float[] pool, float[] user, Map<Integer, float[]> items) {}

    /** Test hook: the state vector of one (user, window) under the current parameters. */
    float[] stateOf(int userId, int[] window) {
        float[] s = new float[sd];
        writeState(userId, window, new float[d], s, 0, new int[n], 0, new float[d], 0);
        return s;
    }

    /** Test hook: back-propagates {@code dState} (∂loss/∂s) of one (user, window) through the state representation. */
    StateGradient stateGradient(int userId, int[] window, float[] dState) {
        StateBatch sb = new StateBatch();
        sb.state = new float[sd];
        sb.users = new int[] {userId};
        sb.slotItems = new int[n];
        sb.avg = new float[d];
        writeState(userId, window, new float[d], sb.state, 0, sb.slotItems, 0, sb.avg, 0);
        int c = 0;
        for (int slot : sb.slotItems) if (slot >= 0) c++;
        sb.present = new int[] {c};
        float[] poolGrad = new float[n];
        TreeMap<Integer, float[]> userGrads = new TreeMap<>();
        TreeMap<Integer, float[]> itemGrads = new TreeMap<>();
        stateBackward(sb, dState, poolGrad, userGrads, itemGrads);
        return new StateGradient(poolGrad, userGrads.getOrDefault(userId, new float[d]), itemGrads);
    }

    /** Test hook: the live position weights, item matrix and (created on demand) user row, to perturb them. */
    float[] poolRef() {
        return pool;
    }

    float[] itemMatrixRef() {
        return itemMatrix;
    }

    float[] userRowRef(int userId) {
        return userRows.computeIfAbsent(userId, u -> ActorWeights.coldStartUserRow(seed, u, d));
    }

    /** Test hook: corrupts one critic weight (to exercise the non-finite guard). */
    void poisonCritic(float value) {
        critic.weights[0][0] = value;
    }

    // ---------------------------------------------------------------- helpers

    private int itemIndexOf(int itemId) {
        int i = Arrays.binarySearch(itemIds, itemId);
        return i >= 0 ? i : -1;
    }

    private void copyUserRow(int userId, float[] dst) {
        float[] row = userRows.get(userId);
        if (row != null) System.arraycopy(row, 0, dst, 0, d);
        else System.arraycopy(ActorWeights.coldStartUserRow(seed, userId, d), 0, dst, 0, d);
    }

    private float[] actionsOf(List<Experience> xs) {
        float[] a = new float[xs.size() * d];
        for (int b = 0; b < xs.size(); b++) System.arraycopy(xs.get(b).action(), 0, a, b * d, d);
        return a;
    }

    private static float[] concat(float[] x, int xw, float[] y, int yw, int batch) {
        float[] out = new float[batch * (xw + yw)];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(x, b * xw, out, b * (xw + yw), xw);
            System.arraycopy(y, b * yw, out, b * (xw + yw) + xw, yw);
        }
        return out;
    }

    private static boolean finite(float[][] arrays) {
        for (float[] a : arrays) for (float v : a) if (!Float.isFinite(v)) return false;
        return true;
    }

    private static boolean finite(Map<Integer, float[]> rows) {
        for (float[] a : rows.values()) for (float v : a) if (!Float.isFinite(v)) return false;
        return true;
    }

    private static void clip(float[][] grads, float maxNorm) {
        if (maxNorm <= 0) return;
        double sq = 0;
        for (float[] g : grads) for (float v : g) sq += (double) v * v;
        double norm = Math.sqrt(sq);
        if (norm <= maxNorm) return;
        float scale = (float) (maxNorm / norm);
        for (float[] g : grads) for (int i = 0; i < g.length; i++) g[i] *= scale;
    }
}
