package io.streamrec.learner;

import static io.streamrec.learner.LearnerNetworks.embed;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import io.streamrec.model.CriticBlock;
import io.streamrec.model.StateRepresentation;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training step's graph on the device (see {@link DrrLearner}'s class comment): the TD3 targets, the critic,
 * actor and supervised losses, one backward pass; then, when every loss and gradient norm is finite, each network's
 * gradient clipped, Adam in place and the soft target updates — otherwise the gradients are zeroed and nothing moves.
 */
final class StepGraph {
    private static final Logger LOG = LoggerFactory.getLogger(StepGraph.class);
    /**
     * What a step computed, {@code stats}: critic loss, actor loss, supervised loss, mean |δ|, the squared gradient
     * norms of the actor, the critic and the embeddings (at {@link #NORMS} + group ordinal), then the B TD errors (at
     * {@link #TD}). {@code applied}: whether the parameters moved (all of the first seven were finite).
     */
    record Outcome(boolean applied, float[] stats) {}

    static final int NORMS = 4;
    /** Squared gradient norms at or above this are treated as corrupt (see {@link #run}). */
    static final float MAX_SQUARED_NORM = 1e12f;

    static final int TD = 7;

    private final LearnerSettings settings;
    private final StateRepresentation rep;
    private final int d;
    private final int n;
    private final NDManager manager;
    private final LearnerNetworks nets;
    private final UserTable users;
    private final AdamOptimizer optimizer;

    StepGraph(
            LearnerSettings settings,
            StateRepresentation rep,
            int d,
            int n,
            NDManager manager,
            LearnerNetworks nets,
            UserTable users,
            AdamOptimizer optimizer) {
        this.settings = settings;
        this.rep = rep;
        this.d = d;
        this.n = n;
        this.manager = manager;
        this.nets = nets;
        this.users = users;
        this.optimizer = optimizer;
    }

    /**
     * Runs one step on {@code in}, its arrays owned by {@code step}; {@code steps} is the number of steps taken before
     * (the policy delay's phase, Adam's bias correction), the reward range bounds the targets.
     */
    Outcome run(NDManager step, TrainingBatch in, long steps, float rewardMin, float rewardMax) {
        Pass pass = forwardBackward(step, in, steps, rewardMin, rewardMax);
        List<LearnerTensor> params = nets.params;
        NDArray[] grads = gradients(step, pass);
        float[] out = stats(grads, pass);
        boolean finite = true;
        for (int i = 0; i < TD; i++) finite &= Float.isFinite(out[i]);
        // A squared gradient norm beyond 1e12 (norm 1e6, where healthy steps stay below ~1) is garbage, not a large
        // step: applied, clipping would shrink it to nothing while its square poisoned Adam's second moments for
        // thousands of steps. Skipped like a non-finite one. (The garbage seen came from scalar operands freed before
        // the backward pass, see constant(); this guard stays as a defence.)
        for (int g = 0; g < TensorGroup.values().length; g++) finite &= out[NORMS + g] < MAX_SQUARED_NORM;
        if (!finite) {
            LOG.warn("step gradients not finite:{}", nonFinite(params, grads));
            for (NDArray g : grads) g.set(new NDIndex("..."), 0f);
            return new Outcome(false, out);
        }
        float[] scale = new float[TensorGroup.values().length];
        Arrays.fill(scale, 1f);
        scale[TensorGroup.ACTOR.ordinal()] = optimizer.clipScale(out[NORMS + TensorGroup.ACTOR.ordinal()]);
        scale[TensorGroup.CRITIC.ordinal()] = optimizer.clipScale(out[NORMS + TensorGroup.CRITIC.ordinal()]);
        long t = steps + 1;
        for (int i = 0; i < grads.length; i++) {
            LearnerTensor p = params.get(i);
            float lr = optimizer.learningRate(p.group);
            if (p == users.tensor()) {
                AdamOptimizer.adamRows(p, pass.userLeaf, grads[i], pass.userRowIdx, lr, t);
                if (rep != StateRepresentation.P) users.markTrained(in.touchedUsers);
            } else if (p == nets.items) {
                if (in.touchedItems.length > 0)
                    AdamOptimizer.adamRows(p, pass.itemLeaf, grads[i], pass.itemRowIdx, lr, t);
            } else {
                AdamOptimizer.adam(p, grads[i], scale[p.group.ordinal()], lr, t);
            }
        }
        float tau = settings.tau;
        for (LearnerTensor p : params) {
            if (p.target != null) p.target.subi(p.value).muli(1f - tau).addi(p.value);
        }
        return new Outcome(true, out);
    }

    /**
     * The gradient checks' view of a step (see {@code GradientCheckTest}): its statistics as in {@link Outcome} and
     * each tensor's raw gradient before clipping, by name — the actor's and the critics' tensors by their slot names
     * (the twin's prefixed {@code twin.}), the pooling weights, and the rows of the user and item tables the step
     * touches ({@code in.touchedUsers} / {@code in.touchedItems}, row-major). Nothing is applied; the gradients are
     * zeroed after reading.
     */
    record Probe(float[] stats, Map<String, float[]> gradients) {}

    Probe probe(NDManager step, TrainingBatch in, long steps, float rewardMin, float rewardMax) {
        Pass pass = forwardBackward(step, in, steps, rewardMin, rewardMax);
        NDArray[] grads = gradients(step, pass);
        float[] out = stats(grads, pass);
        Map<String, float[]> byName = new LinkedHashMap<>();
        List<LearnerTensor> params = nets.params;
        for (int i = 0; i < grads.length; i++) {
            LearnerTensor p = params.get(i);
            float[] g = grads[i].toFloatArray();
            if (p.slots.isEmpty()) {
                byName.put(p.name, g);
            } else {
                for (TensorSlot slot : p.slots) {
                    int from = (int) slot.offset();
                    byName.put(
                            slot.name(),
                            Arrays.copyOfRange(
                                    g, from, from + (int) slot.shape().size()));
                }
            }
            grads[i].set(new NDIndex("..."), 0f);
        }
        return new Probe(out, byName);
    }

    /** One step's losses, TD errors and the per-step leaves of the embedding rows, after the backward pass. */
    private record Pass(
            NDArray criticLoss,
            NDArray actorLoss,
            NDArray auxLoss,
            NDArray td,
            NDArray userLeaf,
            NDArray itemLeaf,
            NDArray userRowIdx,
            NDArray itemRowIdx) {}

    /** The step's forward pass (targets, critic, actor and supervised losses) and its one backward pass. */
    private Pass forwardBackward(NDManager step, TrainingBatch in, long steps, float rewardMin, float rewardMax) {
        int batch = in.users.length;
        NDArray userIdx = step.create(in.users);
        NDArray nextWindow = step.create(in.nextWindow, new Shape(batch, n));
        NDArray nextMask = step.create(in.nextMask, new Shape(batch, n));
        NDArray localUsers = step.create(in.localUsers);
        NDArray localWindow = step.create(in.localWindow, new Shape(batch, n));
        NDArray mask = step.create(in.mask, new Shape(batch, n));
        NDArray actions = step.create(in.actions, new Shape(batch, d));
        NDArray rewards = step.create(in.rewards);
        NDArray continues = step.create(in.continues);
        NDArray isWeights = step.create(in.weights);
        NDArray usersDetached = users.detached();
        // The rows of the embedding tables this step touches, as leaves of this step's graph: gradients land in
        // [rows, d] arrays, never in a table-sized one, and the lazy Adam below writes the rows back.
        long[] itemRows = in.touchedItems.length > 0 ? in.touchedItems : new long[] {0};
        NDArray userRowIdx = step.create(in.touchedUsers);
        NDArray itemRowIdx = step.create(itemRows);
        NDArray userLeaf = embed(userRowIdx, usersDetached);
        NDArray itemLeaf = embed(itemRowIdx, nets.itemsDetached);
        userLeaf.setRequiresGradient(true);
        itemLeaf.setRequiresGradient(true);

        NDArray criticLoss;
        NDArray actorLoss;
        NDArray auxLoss;
        NDArray td;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            // This step's live slices of the flat arrays, cut inside the graph so their gradients reach the flats
            // (one split per network: its backward is one concatenation, not a flat-sized array per slice).
            SubstitutingStore liveStore = new SubstitutingStore(manager);
            for (LearnerTensor flat : new LearnerTensor[] {nets.actorFlat, nets.criticFlat}) {
                NDList parts = flat.value.split(flat.cuts);
                parts.attach(step);
                for (int i = 0; i < flat.slots.size(); i++) {
                    TensorSlot slot = flat.slots.get(i);
                    liveStore.put(slot.parameter(), parts.get(i).reshape(slot.shape()));
                }
            }
            if (settings.itemCritic) {
                NDArray s = nets.state(liveStore, localUsers, userLeaf, localWindow, mask, itemLeaf);
                NDArray next =
                        nets.state(nets.targetStore, userIdx, usersDetached, nextWindow, nextMask, nets.itemsDetached);
                NDArray[] rl = itemCritic(step, in, liveStore, s, next, itemLeaf, continues, isWeights, steps);
                criticLoss = rl[0];
                td = rl[1];
                actorLoss = rl[2];
                NDArray total = rl[3];
                auxLoss = in.auxRows.length > 0
                        ? supervisedLoss(
                                step,
                                in,
                                nets.actorBlock
                                        .mlp()
                                        .forward(liveStore, new NDList(s), true)
                                        .singletonOrThrow(),
                                itemLeaf,
                                isWeights)
                        : step.zeros(new Shape());
                total = total.add(auxLoss.mul(constant(step, settings.auxWeight)));
                collector.backward(total);
                return new Pass(criticLoss, actorLoss, auxLoss, td, userLeaf, itemLeaf, userRowIdx, itemRowIdx);
            }
            // Targets: y = r + γ(1−done)·min_j Q'_j(s', μ'(s') + ε), nothing of it recorded for the backward pass.
            NDArray next =
                    nets.state(nets.targetStore, userIdx, usersDetached, nextWindow, nextMask, nets.itemsDetached);
            NDArray nextAction = nets.actorBlock
                    .mlp()
                    .forward(nets.targetStore, new NDList(next), false)
                    .singletonOrThrow();
            if (in.targetNoise != null) nextAction = nextAction.add(step.create(in.targetNoise, new Shape(batch, d)));
            NDArray nextQ = nets.critic
                    .forward(nets.targetStore, new NDList(next, nextAction), false)
                    .singletonOrThrow()
                    .reshape(batch);
            if (nets.critic2 != null) {
                nextQ = nextQ.minimum(nets.critic2
                        .forward(nets.targetStore, new NDList(next, nextAction), false)
                        .singletonOrThrow()
                        .reshape(batch));
            }
            NDArray y = rewards.add(continues.mul(nextQ).mul(constant(step, settings.gamma)));
            if (settings.boundedTargets && rewardMin <= rewardMax) {
                // No return can leave [min r, max r] / (1 − γ): an overestimating critic cannot feed on itself.
                float scale = 1f / (1f - settings.gamma);
                y = y.clip(Math.min(0f, rewardMin) * scale, Math.max(0f, rewardMax) * scale);
            }
            y = y.stopGradient();
            y.attach(step);

            // Critic(s): ½·mean(w·δ²) each, into the critics and the state representation.
            NDArray s = nets.state(liveStore, localUsers, userLeaf, localWindow, mask, itemLeaf);
            NDArray criticState = s;
            if (!settings.criticTrainsState) {
                criticState = s.stopGradient();
                criticState.attach(step);
            }
            NDArray q = nets.critic
                    .forward(liveStore, new NDList(criticState, actions), true)
                    .singletonOrThrow()
                    .reshape(batch);
            td = q.sub(y);
            criticLoss = td.square().mul(isWeights).mean().mul(constant(step, 0.5f));
            if (nets.critic2 != null) {
                NDArray q2 = nets.critic2
                        .forward(liveStore, new NDList(criticState, actions), true)
                        .singletonOrThrow()
                        .reshape(batch);
                criticLoss =
                        criticLoss.add(q2.sub(y).square().mul(isWeights).mean().mul(constant(step, 0.5f)));
            }

            // Actor: −mean w·Q(s̄, μ(s̄)) with the state and the critic's weights detached: moves the actor only; every
            // policyDelay-th step (TD3). With the supervised term, μ runs once over [s̄; s] (2B rows): the s̄ half
            // feeds
            // the actor loss, the s half (gradient into the state representation) the supervised term.
            boolean policyStep = settings.qWeight != 0 && (steps % settings.policyDelay) == 0;
            NDArray frozenState = s.stopGradient();
            frozenState.attach(step);
            boolean aux = in.auxRows.length > 0;
            NDArray total = criticLoss;
            NDArray actorOut = null;
            if (policyStep || aux) {
                NDArray actorIn = !aux ? frozenState : policyStep ? NDArrays.concat(new NDList(frozenState, s)) : s;
                actorOut = nets.actorBlock
                        .mlp()
                        .forward(liveStore, new NDList(actorIn), true)
                        .singletonOrThrow();
            }
            if (policyStep) {
                NDArray policyAction = aux ? actorOut.get(step, new NDIndex("0:" + batch)) : actorOut;
                NDArray policyQ = nets.critic
                        .forward(nets.frozenCriticStore, new NDList(frozenState, policyAction), true)
                        .singletonOrThrow()
                        .reshape(batch);
                actorLoss = policyQ.mul(isWeights).mean().neg();
                total = total.add(policyTerm(step, actorLoss, policyQ));
            } else {
                actorLoss = step.zeros(new Shape());
            }
            if (aux) {
                NDArray a = policyStep ? actorOut.get(step, new NDIndex(batch + ":")) : actorOut;
                auxLoss = supervisedLoss(step, in, a, itemLeaf, isWeights);
                total = total.add(auxLoss.mul(constant(step, settings.auxWeight)));
            } else {
                auxLoss = step.zeros(new Shape());
            }
            collector.backward(total);
        }
        return new Pass(criticLoss, actorLoss, auxLoss, td, userLeaf, itemLeaf, userRowIdx, itemRowIdx);
    }

    /**
     * The item critic's terms (see {@link LearnerSettings#itemCritic}) on the live state {@code s}: the critic loss
     * ½·Σ w·δ² / (present slots) over the served slate's items with δ = Q(s, e_i) − (r_i + γ(1−done)·min_j V'_j(s')),
     * y clipped to [0, 1/(1−γ)] with {@code boundedTargets}; each row's mean |δ| (its priority); the actor loss
     * −mean(w·V(s̄)) with V(s̄) = Σ_c softmax(μ(s̄)·e_c)·Q(s̄, e_c) over the row's candidates, the state, the critic
     * and its item inputs detached (the softmax's item rows are live: the policy gradient ranks them), normalised as
     * TD3+BC with {@code qWeight} > 0; and the total.
     */
    private NDArray[] itemCritic(
            NDManager step,
            TrainingBatch in,
            SubstitutingStore liveStore,
            NDArray s,
            NDArray next,
            NDArray itemLeaf,
            NDArray continues,
            NDArray isWeights,
            long steps) {
        int batch = in.users.length;
        int k = in.slateItems.length / batch;
        int m = in.candidates.length / batch;
        // Targets, nothing recorded for the backward pass: V'(s') under the target actor and critic(s) at the next
        // state {@code next} (the target networks' state of s').
        NDArray nextAction = nets.actorBlock
                .mlp()
                .forward(nets.targetStore, new NDList(next), false)
                .singletonOrThrow();
        if (in.targetNoise != null) nextAction = nextAction.add(step.create(in.targetNoise, new Shape(batch, d)));
        NDArray nextCandidates = embed(step.create(in.candidates), nets.itemsDetached);
        NDArray nextV = softValue(nets.critic, nets.targetStore, next, nextAction, nextCandidates, nextCandidates, m);
        if (nets.critic2 != null) {
            nextV = nextV.minimum(
                    softValue(nets.critic2, nets.targetStore, next, nextAction, nextCandidates, nextCandidates, m));
        }
        NDArray slateMask = step.create(in.slateMask, new Shape(batch, k));
        NDArray y = step.create(in.slateRewards, new Shape(batch, k))
                .add(continues.mul(nextV).mul(constant(step, settings.gamma)).reshape(batch, 1));
        if (settings.boundedTargets) y = y.clip(0f, 1f / (1f - settings.gamma));
        y = y.stopGradient();
        y.attach(step);

        // Critic(s) on the served items, the state and the items detached unless the critic trains them.
        NDArray criticState = s;
        NDArray criticItems = itemLeaf;
        if (!settings.criticTrainsState) {
            criticState = s.stopGradient();
            criticState.attach(step);
            criticItems = itemLeaf.stopGradient();
            criticItems.attach(step);
        }
        NDArray pairState = criticState.repeat(0, k);
        NDArray pairItems = embed(step.create(in.localSlateItems), criticItems);
        NDArray present = slateMask.sum().maximum(constant(step, 1f));
        NDArray rowWeights = isWeights.reshape(batch, 1).mul(slateMask);
        NDArray delta = nets.critic
                .forward(liveStore, new NDList(pairState, pairItems), true)
                .singletonOrThrow()
                .reshape(batch, k)
                .sub(y);
        NDArray criticLoss = delta.square().mul(rowWeights).sum().div(present).mul(constant(step, 0.5f));
        NDArray td = delta.abs()
                .mul(slateMask)
                .sum(new int[] {1})
                .div(slateMask.sum(new int[] {1}).maximum(constant(step, 1f)));
        if (nets.critic2 != null) {
            NDArray delta2 = nets.critic2
                    .forward(liveStore, new NDList(pairState, pairItems), true)
                    .singletonOrThrow()
                    .reshape(batch, k)
                    .sub(y);
            criticLoss = criticLoss.add(
                    delta2.square().mul(rowWeights).sum().div(present).mul(constant(step, 0.5f)));
        }
        NDArray total = criticLoss;
        NDArray actorLoss;
        if (settings.qWeight != 0 && (steps % settings.policyDelay) == 0) {
            NDArray frozenState = s.stopGradient();
            frozenState.attach(step);
            NDArray frozenItems = itemLeaf.stopGradient();
            frozenItems.attach(step);
            NDArray candidateIdx = step.create(in.localCandidates);
            NDArray a = nets.actorBlock
                    .mlp()
                    .forward(liveStore, new NDList(frozenState), true)
                    .singletonOrThrow();
            NDArray v = softValue(
                    nets.critic,
                    nets.frozenCriticStore,
                    frozenState,
                    a,
                    embed(candidateIdx, itemLeaf),
                    embed(candidateIdx, frozenItems),
                    m);
            actorLoss = v.mul(isWeights).mean().neg();
            total = total.add(policyTerm(step, actorLoss, v));
        } else {
            actorLoss = step.zeros(new Shape());
        }
        return new NDArray[] {criticLoss, td, actorLoss, total};
    }

    /**
     * The actor's Q term as it enters the total: with α = {@code qWeight} > 0 TD3+BC's −α·mean(w·Q)/mean|Q| (the scale
     * detached), otherwise the raw {@code actorLoss} = −mean(w·Q) of DDPG/DRR.
     */
    private NDArray policyTerm(NDManager step, NDArray actorLoss, NDArray values) {
        if (settings.qWeight <= 0) return actorLoss;
        NDArray scale = values.abs().mean().add(constant(step, 1e-6f)).stopGradient();
        scale.attach(step);
        return actorLoss.div(scale).mul(constant(step, settings.qWeight));
    }

    /**
     * V(s) = Σ_c softmax_c(a·e_c)·Q(s, e_c) per row over its m candidates: {@code ranked} [B·m, d] are the embeddings
     * the policy ranks, {@code scored} [B·m, d] those the critic reads (the same rows, possibly detached).
     */
    private NDArray softValue(
            CriticBlock critic, SubstitutingStore store, NDArray s, NDArray a, NDArray ranked, NDArray scored, int m) {
        long batch = s.getShape().get(0);
        NDArray logits = ranked.reshape(batch, m, d).mul(a.reshape(batch, 1, d)).sum(new int[] {2});
        NDArray q = critic.forward(store, new NDList(s.repeat(0, m), scored), true)
                .singletonOrThrow()
                .reshape(batch, m);
        return logits.softmax(1).mul(q).sum(new int[] {1});
    }

    /** Each trained tensor's gradient (the tables' on this step's leaves), in {@code nets.params} order. */
    private NDArray[] gradients(NDManager step, Pass pass) {
        // Grad mode is off from here: the updates record nothing.
        List<LearnerTensor> params = nets.params;
        NDArray[] grads = new NDArray[params.size()];
        for (int i = 0; i < grads.length; i++) {
            LearnerTensor p = params.get(i);
            NDArray g = (p == users.tensor() ? pass.userLeaf : p == nets.items ? pass.itemLeaf : p.value).getGradient();
            g.attach(step);
            grads[i] = g;
        }
        return grads;
    }

    /** The step's statistics (see {@link Outcome}): losses, mean |δ|, squared gradient norms per group, the TD errors. */
    private float[] stats(NDArray[] grads, Pass pass) {
        NDArray[] sq = new NDArray[TensorGroup.values().length];
        for (int i = 0; i < grads.length; i++) {
            NDArray s2 = grads[i].square().sum();
            int gi = nets.params.get(i).group.ordinal();
            sq[gi] = sq[gi] == null ? s2 : sq[gi].add(s2);
        }
        return NDArrays.concat(new NDList(
                        pass.criticLoss.reshape(1),
                        pass.actorLoss.reshape(1),
                        pass.auxLoss.reshape(1),
                        pass.td.abs().mean().reshape(1),
                        sq[0].reshape(1),
                        sq[1].reshape(1),
                        sq[2].reshape(1),
                        pass.td))
                .toFloatArray();
    }

    /**
     * A scalar operand of the step's graph, alive on {@code step} until after the backward pass. Never
     * {@code x.mul(0.5f)} inside the graph: DJL's {@code NDArray.mul(Number)} (and div, maximum, ...) wraps the number
     * in a tensor over a Java direct buffer and closes it right after the operation, while PyTorch's autograd keeps
     * that tensor to compute the gradient (d(x·c)/dx = c). When the JVM collected the buffer before the backward pass,
     * the gradient of a whole loss term was multiplied by whatever memory had replaced it: the skipped steps with
     * finite losses and infinite critic or supervised gradients, and the ≈0.08 mode of DRR's NDCG@10 on ml-100k.
     */
    private static NDArray constant(NDManager step, float value) {
        return step.create(value);
    }

    /**
     * Which gradients hold huge (> 1e6) or non-finite values, how many and from where: the explanation logged with a
     * skipped step (it is how the freed scalar operands of {@link #constant} were found: whole loss terms' gradients
     * garbage while every loss of the forward pass was finite).
     */
    private static String nonFinite(List<LearnerTensor> params, NDArray[] grads) {
        StringBuilder why = new StringBuilder();
        for (int i = 0; i < grads.length; i++) {
            float[] g = grads[i].toFloatArray();
            int bad = 0, first = -1;
            float max = 0;
            for (int j = 0; j < g.length; j++) {
                float x = Math.abs(g[j]);
                if (!Float.isFinite(x) || x > 1e6f) {
                    bad++;
                    if (first < 0) first = j;
                } else max = Math.max(max, x);
            }
            if (bad > 0) {
                why.append(String.format(
                        Locale.ROOT,
                        " %s (%s): %d of %d from index %d, largest other %.3g;",
                        params.get(i).name,
                        params.get(i).group,
                        bad,
                        g.length,
                        first,
                        max));
            }
        }
        return why.toString();
    }

    /**
     * The supervised item-level term, weighted per pair by the row's importance weight and the positive's discount:
     * a softmax over the candidates, or the logistic loss against random items; {@code a} is μ(s) with the gradient
     * into the state representation.
     */
    private NDArray supervisedLoss(NDManager step, TrainingBatch in, NDArray a, NDArray itemLeaf, NDArray isWeights) {
        int batch = in.users.length;
        NDArray pairWeights = embed(step.create(in.auxRows), isWeights.reshape(batch, 1))
                .reshape(-1)
                .mul(step.create(in.auxScale));
        if (in.softmaxTargets != null) {
            // Softmax over the candidates (every touched item row) of each next positive item, the user's
            // window masked out: the term the ranking metric rewards.
            long c = in.touchedItems.length;
            NDArray logits = Linear.linear(a, itemLeaf).singletonOrThrow();
            if (in.softmaxExcluded.length > 0) {
                NDArray penalty = step.zeros(new Shape(batch * c));
                penalty.set(new NDIndex("{}", step.create(in.softmaxExcluded)), -1e9f);
                logits = logits.add(penalty.reshape(batch, c));
            }
            NDArray logp = logits.logSoftmax(1).reshape(batch * c, 1);
            NDArray picked = embed(step.create(in.softmaxTargets), logp).reshape(-1);
            return picked.mul(pairWeights).sum().neg().div(constant(step, batch));
        }
        // Logistic on a·e of horizon positives vs random items.
        NDArray rows = embed(step.create(in.auxRows), a);
        NDArray auxItems = embed(step.create(in.localAuxItems), itemLeaf);
        NDArray z = rows.mul(auxItems).sum(new int[] {1}).mul(step.create(in.auxSigns));
        // softplus(z) = max(z, 0) + log(1 + e^−|z|), stable for large |z|.
        NDArray terms = z.maximum(constant(step, 0f))
                .add(z.abs().neg().exp().add(constant(step, 1f)).log());
        return terms.mul(pairWeights).sum().div(constant(step, batch));
    }
}
