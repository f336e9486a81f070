package io.streamrec.learner;

import io.streamrec.model.ActorWeights;
import io.streamrec.model.CriticBlock;
import io.streamrec.model.DrrActorBlock;
import io.streamrec.model.StateRepresentation;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gradient checks' oracle: one learner step's losses in plain Java and double precision, written from the
 * formulas of {@link DrrLearner}'s class comment and {@link StateRepresentation} — not from {@link StepGraph} — over
 * the learner's parameters copied out. {@link #total()} is the loss the step differentiates, with the detached parts
 * (the TD3 targets, the actor term's state and critic, the TD3+BC scale) held at their values for the parameters
 * given at construction, so that its finite differences ({@link #numericGradient}) are the gradient autograd must
 * produce.
 *
 * <p>Parameters by the learner's tensor names: the actor's ({@code mlp.fc*}), the critic's ({@code critic.fc*}, the
 * twin's {@code twin.critic.fc*}), the pooling weights, the item table ({@code item.embeddings}, catalogue index
 * order) and the user table's used rows ({@code user.embeddings}, the rows the batch's {@code users} index).
 */
final class ReferenceStep {
    private static final String[] ACTOR = {
        ActorWeights.FC1_WEIGHT,
        ActorWeights.FC1_BIAS,
        ActorWeights.FC2_WEIGHT,
        ActorWeights.FC2_BIAS,
        ActorWeights.FC3_WEIGHT,
        ActorWeights.FC3_BIAS
    };
    private static final String[] CRITIC = {
        CriticBlock.FC1_WEIGHT,
        CriticBlock.FC1_BIAS,
        CriticBlock.FC2_WEIGHT,
        CriticBlock.FC2_BIAS,
        CriticBlock.FC3_WEIGHT,
        CriticBlock.FC3_BIAS
    };
    static final String TWIN = "twin.";

    private final LearnerSettings s;
    private final StateRepresentation rep;
    private final int d;
    private final int n;
    private final int batch;
    private final TrainingBatch b;
    private final boolean policyStep;
    /** The live parameters: {@link #total()} reads them, {@link #numericGradient} perturbs them. */
    final Map<String, double[]> live = new LinkedHashMap<>();

    private final Map<String, double[]> frozen = new LinkedHashMap<>();
    private final double[] targets;
    private final double[][] frozenStates;
    private final double frozenScale;
    /** Item critic: slate slots and candidates per row (0 otherwise). */
    private final int k;

    private final int m;

    ReferenceStep(
            LearnerSettings settings,
            StateRepresentation rep,
            int d,
            int n,
            TrainingBatch batch,
            long steps,
            float rewardMin,
            float rewardMax,
            Map<String, float[]> liveValues,
            Map<String, float[]> targetValues) {
        this.s = settings;
        this.rep = rep;
        this.d = d;
        this.n = n;
        this.b = batch;
        this.batch = batch.users.length;
        liveValues.forEach((k, v) -> live.put(k, toDouble(v)));
        live.forEach((k, v) -> frozen.put(k, v.clone()));
        Map<String, double[]> target = new LinkedHashMap<>();
        targetValues.forEach((k, v) -> target.put(k, toDouble(v)));
        // The target path reads the live (detached) pooling weights, user rows and item rows.
        target.put(ActorWeights.POOL, frozen.get(ActorWeights.POOL));
        target.put(UserTable.NAME, frozen.get(UserTable.NAME));
        target.put(DrrActorBlock.ITEM_EMBEDDINGS, frozen.get(DrrActorBlock.ITEM_EMBEDDINGS));

        frozenStates = new double[this.batch][];
        for (int i = 0; i < this.batch; i++) frozenStates[i] = state(frozen, i, b.window, b.mask);
        policyStep = s.qWeight != 0 && steps % s.policyDelay == 0;
        if (s.itemCritic) {
            // Per slate slot: y = r_i + γ(1−done)·min_j V'_j(s'), V' the target critic's value of the target actor's
            // softmax over the row's candidates; clipped to [0, 1/(1−γ)].
            k = b.slateItems.length / this.batch;
            m = b.candidates.length / this.batch;
            targets = new double[this.batch * k];
            double scale = 0;
            for (int i = 0; i < this.batch; i++) {
                double[] next = state(target, i, b.nextWindow, b.nextMask);
                double[] a = actor(target, next);
                if (b.targetNoise != null) for (int c = 0; c < d; c++) a[c] += b.targetNoise[i * d + c];
                double v = softValue(target, target, "", i, next, a);
                if (s.twinCritics) v = Math.min(v, softValue(target, target, TWIN, i, next, a));
                for (int j = 0; j < k; j++) {
                    double y = b.slateRewards[i * k + j] + s.gamma * b.continues[i] * v;
                    if (s.boundedTargets) y = Math.max(0, Math.min(1.0 / (1.0 - s.gamma), y));
                    targets[i * k + j] = y;
                }
                if (policyStep) {
                    scale +=
                            Math.abs(softValue(frozen, frozen, "", i, frozenStates[i], actor(frozen, frozenStates[i])));
                }
            }
            frozenScale = scale / this.batch + 1e-6;
            return;
        }
        k = 0;
        m = 0;
        // y = r + γ(1−done)·min_j Q'_j(s', μ'(s') + ε), clipped to the possible returns.
        targets = new double[this.batch];
        for (int i = 0; i < this.batch; i++) {
            double[] next = state(target, i, b.nextWindow, b.nextMask);
            double[] a = actor(target, next);
            if (b.targetNoise != null) for (int c = 0; c < d; c++) a[c] += b.targetNoise[i * d + c];
            double q = critic(target, "", next, a);
            if (s.twinCritics) q = Math.min(q, critic(target, TWIN, next, a));
            double y = b.rewards[i] + s.gamma * b.continues[i] * q;
            if (s.boundedTargets && rewardMin <= rewardMax) {
                double scale = 1.0 / (1.0 - s.gamma);
                y = Math.max(Math.min(0, rewardMin) * scale, Math.min(Math.max(0, rewardMax) * scale, y));
            }
            targets[i] = y;
        }
        double scale = 0;
        if (policyStep) {
            for (int i = 0; i < this.batch; i++) {
                scale += Math.abs(critic(frozen, "", frozenStates[i], actor(frozen, frozenStates[i])));
            }
        }
        frozenScale = scale / this.batch + 1e-6;
    }

    /** The losses at the live parameters. */
    record Losses(double critic, double actor, double aux, double total, double[] td) {}

    Losses losses() {
        double[] w = toDouble(b.weights);
        double[][] states = new double[batch][];
        for (int i = 0; i < batch; i++) states[i] = state(live, i, b.window, b.mask);
        if (s.itemCritic) return itemLosses(states, w);
        // Critic(s): ½·mean(w·δ²) each; the state detached unless the critic trains it.
        double criticLoss = 0;
        double[] td = new double[batch];
        for (String prefix : s.twinCritics ? new String[] {"", TWIN} : new String[] {""}) {
            double sum = 0;
            for (int i = 0; i < batch; i++) {
                double[] st = s.criticTrainsState ? states[i] : frozenStates[i];
                double delta = critic(live, prefix, st, toDouble(b.actions, i * d, d)) - targets[i];
                if (prefix.isEmpty()) td[i] = delta;
                sum += w[i] * delta * delta;
            }
            criticLoss += 0.5 * sum / batch;
        }
        double total = criticLoss;
        // Actor: −mean(w·Q(s̄, μ(s̄))), state and critic frozen; TD3+BC divides by the frozen mean |Q|.
        double actorLoss = 0;
        if (policyStep) {
            for (int i = 0; i < batch; i++) {
                actorLoss -= w[i] * critic(frozen, "", frozenStates[i], actor(live, frozenStates[i]));
            }
            actorLoss /= batch;
            total += s.qWeight > 0 ? s.qWeight * actorLoss / frozenScale : actorLoss;
        }
        double auxLoss = supervised(states, w);
        return new Losses(criticLoss, actorLoss, auxLoss, total + s.auxWeight * auxLoss, td);
    }

    /**
     * The item critic's losses: ½·Σ w·δ² / (present slots) per critic over the served slots, δ = Q(s, e_i) − y_i (state
     * and items detached unless the critic trains them); each row's mean |δ|; the actor loss −mean(w·V(s̄)) with the
     * live actor and item rows in the softmax, the frozen critic on frozen items; the supervised term as usual.
     */
    private Losses itemLosses(double[][] states, double[] w) {
        double present = 0;
        for (float x : b.slateMask) present += x;
        present = Math.max(1, present);
        double criticLoss = 0;
        double[] td = new double[batch];
        Map<String, double[]> itemSource = s.criticTrainsState ? live : frozen;
        for (String prefix : s.twinCritics ? new String[] {"", TWIN} : new String[] {""}) {
            double sum = 0;
            for (int i = 0; i < batch; i++) {
                double[] st = s.criticTrainsState ? states[i] : frozenStates[i];
                double count = 0;
                for (int j = 0; j < k; j++) {
                    if (b.slateMask[i * k + j] <= 0) continue;
                    double[] e = row(itemSource, (int) b.slateItems[i * k + j]);
                    double delta = critic(live, prefix, st, e) - targets[i * k + j];
                    sum += w[i] * delta * delta;
                    if (prefix.isEmpty()) td[i] += Math.abs(delta);
                    count++;
                }
                if (prefix.isEmpty()) td[i] /= Math.max(1, count);
            }
            criticLoss += 0.5 * sum / present;
        }
        double total = criticLoss;
        double actorLoss = 0;
        if (policyStep) {
            for (int i = 0; i < batch; i++) {
                actorLoss -= w[i] * softValue(live, frozen, "", i, frozenStates[i], actor(live, frozenStates[i]));
            }
            actorLoss /= batch;
            total += s.qWeight > 0 ? s.qWeight * actorLoss / frozenScale : actorLoss;
        }
        double auxLoss = supervised(states, w);
        return new Losses(criticLoss, actorLoss, auxLoss, total + s.auxWeight * auxLoss, td);
    }

    /**
     * V = Σ_c softmax_c(a·e_c)·Q(state, e'_c) over row i's candidates: e from {@code ranked} (the policy's item rows),
     * e' from {@code scored} (the critic's), the critic (prefix) from {@code scored}'s parameters.
     */
    private double softValue(
            Map<String, double[]> ranked, Map<String, double[]> scored, String prefix, int i, double[] st, double[] a) {
        double[] logits = new double[m];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < m; c++) {
            logits[c] = dot(a, ranked.get(DrrActorBlock.ITEM_EMBEDDINGS), (int) b.candidates[i * m + c] * d);
            max = Math.max(max, logits[c]);
        }
        double z = 0;
        for (int c = 0; c < m; c++) z += Math.exp(logits[c] - max);
        double v = 0;
        for (int c = 0; c < m; c++) {
            double q = critic(scored, prefix, st, row(scored, (int) b.candidates[i * m + c]));
            v += Math.exp(logits[c] - max) / z * q;
        }
        return v;
    }

    private double[] row(Map<String, double[]> p, int item) {
        return Arrays.copyOfRange(p.get(DrrActorBlock.ITEM_EMBEDDINGS), item * d, item * d + d);
    }

    double total() {
        return losses().total();
    }

    /** Central differences of {@link #total()} in each of {@code coordinates} of the named live parameter. */
    double[] numericGradient(String name, int[] coordinates, double eps) {
        double[] p = live.get(name);
        double[] g = new double[coordinates.length];
        for (int k = 0; k < coordinates.length; k++) {
            int j = coordinates[k];
            double keep = p[j];
            p[j] = keep + eps;
            double up = total();
            p[j] = keep - eps;
            double down = total();
            p[j] = keep;
            g[k] = (up - down) / (2 * eps);
        }
        return g;
    }

    // ---------------------------------------------------------------- supervised term

    /** The supervised term on μ of the live states (0 without pairs). */
    private double supervised(double[][] states, double[] w) {
        if (b.auxRows.length == 0) return 0;
        double[][] actions = new double[batch][];
        for (int i = 0; i < batch; i++) actions[i] = actor(live, states[i]);
        return b.softmaxTargets != null ? softmax(actions, w) : logistic(actions, w);
    }

    /**
     * −Σ over (row, positive) of w_row·discount·log softmax(a_row·e_c over the candidates c), divided by B; the
     * candidates are the batch's touched items, without the row's excluded (already rated) items.
     */
    private double softmax(double[][] actions, double[] w) {
        long[] candidates = b.touchedItems;
        int c = candidates.length;
        boolean[] excluded = new boolean[batch * c];
        for (long flat : b.softmaxExcluded) excluded[(int) flat] = true;
        double[] items = live.get(DrrActorBlock.ITEM_EMBEDDINGS);
        double loss = 0;
        for (int j = 0; j < b.auxRows.length; j++) {
            int row = (int) b.auxRows[j];
            double[] logits = new double[c];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                logits[k] = dot(actions[row], items, (int) candidates[k] * d);
                if (!excluded[row * c + k]) max = Math.max(max, logits[k]);
            }
            double z = 0;
            for (int k = 0; k < c; k++) if (!excluded[row * c + k]) z += Math.exp(logits[k] - max);
            int target = Arrays.binarySearch(candidates, b.auxItems[j]);
            loss -= w[row] * b.auxScale[j] * (logits[target] - max - Math.log(z));
        }
        return loss / batch;
    }

    /** Σ softplus(sign·a_row·e_item)·w_row·discount over the pairs (sign −1 for a positive), divided by B. */
    private double logistic(double[][] actions, double[] w) {
        double[] items = live.get(DrrActorBlock.ITEM_EMBEDDINGS);
        double loss = 0;
        for (int j = 0; j < b.auxRows.length; j++) {
            int row = (int) b.auxRows[j];
            double z = b.auxSigns[j] * dot(actions[row], items, (int) b.auxItems[j] * d);
            loss += w[row] * b.auxScale[j] * (Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))));
        }
        return loss / batch;
    }

    // ---------------------------------------------------------------- networks

    /** Row i's state over the window slots {@code window}/{@code mask}. */
    private double[] state(Map<String, double[]> p, int i, long[] window, float[] mask) {
        double[] users = p.get(UserTable.NAME);
        double[] items = p.get(DrrActorBlock.ITEM_EMBEDDINGS);
        int userRow = (int) b.users[i];
        double[][] e = new double[n][];
        for (int j = 0; j < n; j++) {
            if (mask[i * n + j] > 0) {
                int row = (int) window[i * n + j];
                e[j] = Arrays.copyOfRange(items, row * d, row * d + d);
            }
        }
        return state(rep, p.get(ActorWeights.POOL), Arrays.copyOfRange(users, userRow * d, userRow * d + d), e);
    }

    /**
     * The state of user row {@code u} and window slots {@code e} (null: an empty slot, a zero vector), oldest first,
     * with position weights {@code pool} (see {@link StateRepresentation}).
     */
    static double[] state(StateRepresentation rep, double[] pool, double[] u, double[][] e) {
        int n = e.length;
        int d = u.length;
        double[][] slot = new double[n][];
        for (int j = 0; j < n; j++) slot[j] = e[j] == null ? new double[d] : e[j];
        if (rep == StateRepresentation.AVE || rep == StateRepresentation.AVE_RES) {
            double[] avg = new double[d];
            int present = 0;
            for (int j = 0; j < n; j++) {
                if (e[j] == null) continue;
                present++;
                for (int c = 0; c < d; c++) avg[c] += pool[j] * slot[j][c];
            }
            double[] st = new double[3 * d];
            for (int c = 0; c < d; c++) {
                avg[c] /= Math.max(1, present);
                st[c] = u[c];
                st[d + c] = u[c] * avg[c];
                st[2 * d + c] = avg[c];
            }
            return st;
        }
        double[] st = new double[rep.stateDim(d, n)];
        int at = 0;
        for (int j = 0; j < n; j++) {
            for (int c = 0; c < d; c++) {
                st[at++] = rep == StateRepresentation.U ? u[c] * pool[j] * slot[j][c] : slot[j][c];
            }
        }
        for (int x = 0; x < n; x++) {
            for (int y = x + 1; y < n; y++) {
                for (int c = 0; c < d; c++) st[at++] = pool[x] * slot[x][c] * pool[y] * slot[y][c];
            }
        }
        return st;
    }

    /** μ(s) = tanh(W3·relu(W2·relu(W1·s + b1) + b2) + b3), plus the state's last d values (the pooled window) for ave-res. */
    double[] actor(Map<String, double[]> p, double[] state) {
        return actor(rep, p, state);
    }

    static double[] actor(StateRepresentation rep, Map<String, double[]> p, double[] state) {
        int d = p.get(ACTOR[5]).length;
        double[] x = relu(dense(p.get(ACTOR[0]), p.get(ACTOR[1]), state));
        x = relu(dense(p.get(ACTOR[2]), p.get(ACTOR[3]), x));
        x = dense(p.get(ACTOR[4]), p.get(ACTOR[5]), x);
        for (int c = 0; c < d; c++) {
            x[c] = Math.tanh(x[c]);
            if (rep.residual()) x[c] += state[state.length - d + c];
        }
        return x;
    }

    /** The targets y of the batch's rows. */
    double[] targets() {
        return targets.clone();
    }

    /** Q(s, a) = W3·relu(W2·relu(W1·[s; a] + b1) + b2) + b3, plus (M·s)·a with the bilinear term. */
    double critic(Map<String, double[]> p, String prefix, double[] state, double[] action) {
        double[] in = Arrays.copyOf(state, state.length + action.length);
        System.arraycopy(action, 0, in, state.length, action.length);
        double[] x = relu(dense(p.get(prefix + CRITIC[0]), p.get(prefix + CRITIC[1]), in));
        x = relu(dense(p.get(prefix + CRITIC[2]), p.get(prefix + CRITIC[3]), x));
        double q = dense(p.get(prefix + CRITIC[4]), p.get(prefix + CRITIC[5]), x)[0];
        double[] match = p.get(prefix + CriticBlock.MATCH_WEIGHT);
        if (match != null) {
            double[] m = dense(match, new double[action.length], state);
            for (int c = 0; c < action.length; c++) q += m[c] * action[c];
        }
        return q;
    }

    /** y = W·x + b with W stored [out, in] row-major. */
    private static double[] dense(double[] weight, double[] bias, double[] x) {
        double[] y = new double[bias.length];
        for (int o = 0; o < y.length; o++) {
            double acc = bias[o];
            for (int k = 0; k < x.length; k++) acc += weight[o * x.length + k] * x[k];
            y[o] = acc;
        }
        return y;
    }

    private static double[] relu(double[] x) {
        for (int k = 0; k < x.length; k++) x[k] = Math.max(0, x[k]);
        return x;
    }

    private double dot(double[] a, double[] table, int offset) {
        double acc = 0;
        for (int c = 0; c < d; c++) acc += a[c] * table[offset + c];
        return acc;
    }

    static double[] toDouble(float[] v) {
        return toDouble(v, 0, v.length);
    }

    private static double[] toDouble(float[] v, int from, int length) {
        double[] out = new double[length];
        for (int k = 0; k < length; k++) out[k] = v[from + k];
        return out;
    }
}
