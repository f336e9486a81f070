package io.streamrec.learner;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.streamrec.model.ActorWeights;
import io.streamrec.model.ActorWeightsDelta;
import io.streamrec.model.CriticBlock;
import io.streamrec.model.DrrActorBlock;
import io.streamrec.model.EngineThreads;
import io.streamrec.model.Rng;
import io.streamrec.model.StateRepresentation;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * The online DRR learner (Liu et al. 2018, actor-critic / DDPG), resident on the engine's device. The networks are the
 * model's own DJL blocks — the {@link DrrActorBlock} serving uses (state representation DRR-ave/-p/-u, actor MLP, item
 * embedding matrix) and a {@link CriticBlock} — plus a user embedding table. Their parameters, the target copies of
 * actor and critic, and the Adam moments of everything live as NDArrays on the device for the learner's whole life.
 *
 * <p>One step ({@link #trainStep()}) is one graph: sample B transitions by priority (the only data copied in);
 * TD3 targets {@code y = r + γ(1−done)·min_j Q'_j(s', μ'(s') + ε)} from the target networks (detached; two
 * critics with {@code twinCritics}, smoothing noise ε with {@code targetNoise}, y clipped to the range of returns the
 * observed rewards allow with {@code boundedTargets}); critic loss {@code ½·mean(w·(Q_j(s,a)−y)²)} per critic with
 * PER importance weights w, into the critics and the state representation (pooling weights, user rows, the window's
 * item rows); actor loss {@code −mean w·Q_1(s̄, μ(s̄))} with s̄ and the critic's weights detached, so it moves the
 * actor only, every {@code policyDelay}-th step; a supervised item-level term (weight {@code auxWeight}, 0 = pure
 * actor-critic): a softmax over the catalogue (or sampled candidates) of each item the user rated positively within
 * the horizon under a·e, the user's window masked out of the negatives — the term the ranking metric rewards — or
 * the older logistic loss against random items; weighted by w too, into the actor, the item rows and the state
 * representation. With {@link LearnerSettings#itemCritic} the critic scores items instead of actions: Q(s, e_i) of
 * each served slate item (reward 1 per horizon positive), its target and the actor's objective the critic's value of
 * the actor's softmax over candidate items (see {@link LearnerSettings#itemCritic}). One backward pass; then, on the device: each network's gradient clipped to a global L2 norm, Adam
 * in place, soft target updates in place. What comes back per step is one small array: the losses, the gradient
 * norms and the B TD errors (the new priorities |δ|+ε). A step whose losses or gradients are not all finite changes
 * nothing and is counted in {@link #skippedSteps()}.
 *
 * <p>Replay ratio: {@link LearnerSettings#replayRatio} samples are trained per observed transition once the buffer is
 * warm (a step of B samples each time the credit reaches B). Under {@link Pacing#LIVE} the caller may refuse a due
 * step; it is dropped and counted ({@link #droppedSteps()}).
 *
 * <p>Not thread-safe: one thread owns a learner. {@link #snapshot()} exports everything — parameters, targets, moments,
 * user rows, replay buffer, RNG, counters — to a compact binary form; {@link #restore} rebuilds a learner that continues
 * exactly. {@link #close()} frees the native memory.
 */
public final class DrrLearner implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DrrLearner.class);
    /** DJL allows one active GradientCollector per JVM. */
    private static final Object COLLECTOR_LOCK = new Object();

    /** Result of one training step. */
    public record StepResult(
            boolean trained, boolean skipped, float criticLoss, float actorLoss, float auxLoss, float meanAbsTdError)
            implements Serializable {
        static final StepResult NOT_TRAINED = new StepResult(false, false, Float.NaN, Float.NaN, Float.NaN, Float.NaN);
    }

    /** One publication: a full snapshot, or a delta against the previous publication. Exactly one is set. */
    public record Publication(long version, ActorWeights full, ActorWeightsDelta delta, ActorWeights weights) {
        public boolean isFull() {
            return full != null;
        }
    }

    // The fields without `private` are LearnerSnapshot's to write and to restore.
    final LearnerSettings settings;
    private final long seed;
    private final int d;
    private final int n;
    private final int h;
    private final StateRepresentation rep;
    private final ItemCatalogue catalogue;
    final NDManager manager;
    final UserTable users;
    final LearnerNetworks networks;
    final SeenItems seenItems;
    private final BatchAssembler assembler;
    private final StepGraph graph;
    PrioritizedReplayBuffer<Experience> buffer;
    final Rng rng;
    long observed;
    long steps;
    long skipped;
    long dropped;
    double credit;
    /** The smallest and largest reward observed: the bounds of the Q targets (see LearnerSettings.boundedTargets). */
    float rewardMin = Float.POSITIVE_INFINITY;

    float rewardMax = Float.NEGATIVE_INFINITY;
    long publishedAtStep;
    long version;
    ActorWeights lastPublished;
    long publications;
    /** The size of the last snapshot's head (plus a margin): the next one's initial buffer. */
    int snapshotSizeHint = 1 << 20;

    StepResult lastStep = StepResult.NOT_TRAINED;
    private boolean closed;

    /** Starts from {@code initial} (e.g. the seeded v0 that serving also starts from); the critic is seeded. */
    public DrrLearner(LearnerSettings settings, ActorWeights initial) {
        this.settings = settings.copy().validate();
        this.seed = initial.seed();
        this.d = initial.embeddingDim();
        this.n = initial.windowSize();
        this.h = initial.hiddenDim();
        this.rep = initial.stateRepresentation();
        this.catalogue = new ItemCatalogue(initial);
        this.seenItems = new SeenItems(catalogue);
        this.rng = new Rng(this.settings.seed ^ 0x4C4541524E4552L);
        this.buffer = new PrioritizedReplayBuffer<>(
                this.settings.bufferCapacity,
                this.settings.alpha,
                this.settings.beta0,
                this.settings.betaSteps,
                this.settings.priorityEps);
        this.version = initial.version();
        this.lastPublished = initial;
        this.manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice());
        try {
            EngineThreads.disableGradients();
            // The user table draws nothing from the RNG; the networks draw the critics' initial weights from it.
            this.users = new UserTable(manager, initial);
            this.networks = new LearnerNetworks(this.settings, initial, manager, rng, catalogue, users);
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
        this.assembler = new BatchAssembler(this.settings, d, n, catalogue, users, seenItems, rng);
        this.graph =
                new StepGraph(this.settings, rep, d, n, manager, networks, users, new AdamOptimizer(this.settings));
    }

    // ---------------------------------------------------------------- experience and training

    /** Adds a transition and takes the steps it makes due (see the class comment). */
    public StepResult observe(Experience e) {
        return observe(e, true);
    }

    /**
     * As {@link #observe(Experience)}, but due steps are only taken when {@code mayTrain}; otherwise they are dropped
     * and counted ({@link #droppedSteps()}): the {@link Pacing#LIVE} time budget.
     */
    public StepResult observe(Experience e, boolean mayTrain) {
        if (e.action().length != d) {
            throw new IllegalArgumentException("action has " + e.action().length + " values, expected " + d);
        }
        buffer.add(e);
        observed++;
        if (Float.isFinite(e.reward())) {
            rewardMin = Math.min(rewardMin, e.reward());
            rewardMax = Math.max(rewardMax, e.reward());
        }
        if (settings.auxWeight > 0 && settings.auxLoss == LearnerSettings.AuxLoss.SOFTMAX) {
            seenItems.remember(e.userId(), e.window());
            seenItems.remember(e.userId(), e.positives());
        }
        if (buffer.size() < Math.max(settings.warmup, settings.batchSize)) return StepResult.NOT_TRAINED;
        credit += settings.replayRatio;
        StepResult result = StepResult.NOT_TRAINED;
        while (credit >= settings.batchSize) {
            credit -= settings.batchSize;
            if (mayTrain) result = trainStep();
            else dropped++;
        }
        return result;
    }

    /** Steps due for the transitions seen so far and not yet taken (the fractional credit is below one step). */
    public double pendingSamples() {
        return credit;
    }

    /** One training step on a prioritized batch (see the class comment). */
    public StepResult trainStep() {
        if (closed) throw new IllegalStateException("learner is closed");
        if (buffer.size() == 0) return StepResult.NOT_TRAINED;
        int batch = settings.batchSize;
        PrioritizedReplayBuffer.Sample<Experience> sample = buffer.sample(batch, rng);
        TrainingBatch in = assembler.assemble(sample.entries(), sample.weights());
        synchronized (COLLECTOR_LOCK) {
            // A fresh thread may start with autograd on: the in-place updates after the backward pass need it off.
            EngineThreads.disableGradients();
            try (NDManager step = manager.newSubManager()) {
                return train(step, in, sample.slots());
            }
        }
    }

    /** Runs the step's graph, then counts it and, when it was applied, gives the sampled slots their new priorities. */
    private StepResult train(NDManager step, TrainingBatch in, int[] bufferSlots) {
        int batch = in.users.length;
        StepGraph.Outcome outcome = graph.run(step, in, steps, rewardMin, rewardMax);
        float[] out = outcome.stats();
        float cl = out[0];
        float al = out[1];
        float xl = out[2];
        float absTd = out[3];
        if (!outcome.applied()) {
            if (skipped < 10 || Long.bitCount(skipped) == 1) {
                LOG.warn(
                        "learner step {} skipped: critic loss {}, actor loss {}, aux loss {}, |td| {}, squared gradient "
                                + "norms actor {} critic {} embeddings {}",
                        steps + 1,
                        out[0],
                        out[1],
                        out[2],
                        out[3],
                        out[4],
                        out[5],
                        out[6]);
            }
            skipped++;
            lastStep = new StepResult(true, true, cl, al, xl, absTd);
            return lastStep;
        }
        buffer.updatePriorities(bufferSlots, Arrays.copyOfRange(out, StepGraph.TD, StepGraph.TD + batch));
        steps++;
        lastStep = new StepResult(true, false, cl, al, xl, absTd);
        return lastStep;
    }

    // ---------------------------------------------------------------- acting (for offline use and tests)

    /** μ(s) for one state under the current parameters. */
    public float[] action(int userId, int[] window) {
        return networks.action(userId, window);
    }

    /** Q(s, a) under the current critic. */
    public float q(int userId, int[] window, float[] action) {
        return networks.q(userId, window, action);
    }

    /** Scores {@code action · e_i} of every item, catalogue index order. */
    public float[] scores(float[] action) {
        return networks.scores(action);
    }

    /** The state vector of one (user, window) under the current parameters (cold-start row for an unseen user). */
    float[] stateOf(int userId, int[] window) {
        return networks.stateOf(userId, window);
    }

    /**
     * How well the critic fits its targets, and how much of that fit its action input carries: R² = 1 − Σ(Q(s,a) −
     * y)² / Σ(y − ȳ)² over up to {@code samples} transitions of the replay buffer (evenly spaced slots, no RNG drawn),
     * with the TD target y = r + γ(1−done)·min_j Q'_j(s', μ'(s')) (r itself at γ = 0); {@code [0]} with each
     * transition's own action, {@code [1]} with the action of another transition (half the buffer away) in its place.
     * [0] − [1] is what the action explains — the only part the actor's Q term can use, since it follows ∂Q/∂a. NaN
     * with fewer than two transitions or constant targets, and with the item critic (it scores items, not actions).
     */
    public double[] criticRSquared(int samples) {
        if (settings.itemCritic) return new double[] {Double.NaN, Double.NaN};
        int size = buffer.size();
        int n = Math.min(samples, size);
        if (n < 2) return new double[] {Double.NaN, Double.NaN};
        double[] own = new double[n];
        double[] other = new double[n];
        double[] y = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            Experience e = buffer.get((int) ((long) i * size / n));
            Experience x = buffer.get((int) (((long) i * size / n + size / 2) % size));
            own[i] = networks.q(e.userId(), e.window(), e.action());
            other[i] = networks.q(e.userId(), e.window(), x.action());
            y[i] = e.reward();
            if (settings.gamma > 0 && !e.done())
                y[i] += settings.gamma * networks.targetValue(e.userId(), e.nextWindow());
            mean += y[i] / n;
        }
        double total = 0, residualOwn = 0, residualOther = 0;
        for (int i = 0; i < n; i++) {
            total += (y[i] - mean) * (y[i] - mean);
            residualOwn += (own[i] - y[i]) * (own[i] - y[i]);
            residualOther += (other[i] - y[i]) * (other[i] - y[i]);
        }
        if (total == 0) return new double[] {Double.NaN, Double.NaN};
        return new double[] {1 - residualOwn / total, 1 - residualOther / total};
    }

    // ---------------------------------------------------------------- publication

    /** The current actor as immutable weights under the current version (no new version); copies off the device. */
    public ActorWeights currentWeights() {
        return new ActorWeights(
                version,
                seed,
                d,
                h,
                n,
                rep,
                networks.actorTensors(),
                catalogue.ids(),
                networks.items.value.toFloatArray(),
                users.learnedRows());
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
        if (delta.tensorNames().isEmpty()
                && delta.itemIds().isEmpty()
                && delta.userIds().isEmpty()) {
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
     * Everything needed to continue exactly, in a compact binary form: a header, the counters, the RNG, every tensor
     * with its moments and target as raw floats, the used user rows, the replay buffer in binary; only the settings
     * and the last publication go through Java serialisation (see {@link LearnerSnapshot}).
     */
    public byte[] snapshot() {
        return LearnerSnapshot.write(this);
    }

    /**
     * The same snapshot in chunks, for operator state: the replay entries' cached encodings are shared, not copied.
     * {@link #restore(List)} takes them back.
     */
    public List<byte[]> snapshotChunks() {
        return LearnerSnapshot.writeChunks(this);
    }

    /** A learner from {@link #snapshotChunks()} (or from a {@link #snapshot()} as its one chunk). */
    public static DrrLearner restore(List<byte[]> chunks) {
        return LearnerSnapshot.read(LearnerSnapshot.concat(chunks));
    }

    /** A learner that continues exactly where {@link #snapshot()} left off, on this JVM's default device. */
    public static DrrLearner restore(byte[] snapshot) {
        return LearnerSnapshot.read(snapshot);
    }

    /** Frees the learner's native memory; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }

    // ---------------------------------------------------------------- accessors and metrics

    public long steps() {
        return steps;
    }

    public long skippedSteps() {
        return skipped;
    }

    /** Due steps not taken for lack of time budget ({@link Pacing#LIVE}). */
    public long droppedSteps() {
        return dropped;
    }

    /** Samples trained per observed transition so far (the achieved replay ratio). */
    public double achievedReplayRatio() {
        return observed == 0 ? 0 : (double) steps * settings.batchSize / observed;
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

    /** The device the learner's arrays live on. */
    public Device device() {
        return manager.getDevice();
    }

    PrioritizedReplayBuffer<Experience> buffer() {
        return buffer;
    }

    /** Test hook: the number of native arrays the learner holds (flat over a long run). */
    int liveArrays() {
        return manager.getManagedArrays().size();
    }

    /** Test hook: one named tensor's current values (actor, critic and embedding tensors; users: the used rows). */
    float[] tensor(String name) {
        return networks.values(name);
    }

    /** Test hook: one named tensor's target values (actor and critic tensors; the pooling weights' live ones). */
    float[] targetTensor(String name) {
        return networks.targetValues(name);
    }

    /** Test hook: a sampled batch with its step's losses and raw gradients (see {@link StepGraph#probe}). */
    record GradientProbe(TrainingBatch batch, long steps, float[] stats, java.util.Map<String, float[]> gradients) {}

    /**
     * Test hook: samples and assembles a batch as {@link #trainStep()} does (drawing from the RNG) and runs its step's
     * graph with the given reward range for the bounded targets, applying nothing.
     */
    GradientProbe probe(float rewardMin, float rewardMax) {
        PrioritizedReplayBuffer.Sample<Experience> sample = buffer.sample(settings.batchSize, rng);
        TrainingBatch in = assembler.assemble(sample.entries(), sample.weights());
        synchronized (COLLECTOR_LOCK) {
            EngineThreads.disableGradients();
            try (NDManager step = manager.newSubManager()) {
                StepGraph.Probe p = graph.probe(step, in, steps, rewardMin, rewardMax);
                return new GradientProbe(in, steps, p.stats(), p.gradients());
            }
        }
    }

    /** Test hook: sets one critic weight (to exercise the non-finite guard). */
    void poisonCritic(float value) {
        networks.setFirstCriticWeight(value); // critic fc1 weight [0, 0]
    }
}
