package io.streamrec.learner;

import io.streamrec.model.Rng;
import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import io.streamrec.model.ActorWeights;
import io.streamrec.model.ActorWeightsDelta;
import io.streamrec.model.CriticBlock;
import io.streamrec.model.DrrActorBlock;
import io.streamrec.model.EngineThreads;
import io.streamrec.model.StateRepresentation;
import io.streamrec.schema.BinaryArrays;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * representation. One backward pass; then, on the device: each network's gradient clipped to a global L2 norm, Adam
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
    private static final int SNAPSHOT_MAGIC = 0x44524C33; // "DRL3"
    private static final String USER_TABLE = "user.embeddings";
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float ADAM_EPS = 1e-8f;

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

    private enum Group { ACTOR, CRITIC, EMBEDDING }

    /**
     * One dense tensor of the actor or the critic: a slice of its network's flat array. Adam, the gradient norm and
     * the soft target update then run once per network instead of once per tensor, and the blocks get the slices
     * through a ParameterStore (each step's live slices are cut inside the graph, so gradients land in the flat
     * array's gradient).
     */
    private record Slot(String name, Parameter parameter, Param flat, long offset, Shape shape) {}

    /** One trained tensor with its Adam moments and (actor and critic only) its target copy. */
    private static final class Param {
        final String name;
        final Group group;
        final Parameter parameter;
        NDArray value;
        NDArray m;
        NDArray v;
        NDArray target;
        /** A flat array's slots and the offsets where it is split into them (from the second slot on). */
        List<Slot> slots = List.of();
        long[] cuts = new long[0];

        Param(String name, Group group, Parameter parameter, NDArray value) {
            this.name = name;
            this.group = group;
            this.parameter = parameter;
            this.value = value;
        }
    }

    private final LearnerSettings settings;
    private final long seed;
    private final int d;
    private final int n;
    private final int h;
    private final StateRepresentation rep;
    private final int sd;
    private final int[] itemIds;
    private final NDManager manager;
    private final DrrActorBlock actorBlock;
    private final CriticBlock critic;
    /** TD3's second critic (clipped double-Q), or null. Its tensors share the critic's flat array. */
    private final CriticBlock critic2;
    private final List<Param> params = new ArrayList<>();
    private final Param pool;
    private final Param items;
    private final Param users;
    /** Row of each user in the user table, and the user of each row. */
    private final HashMap<Integer, Integer> userRow = new HashMap<>();
    private int[] rowUser;
    /** Rows that have had an update: only those are learned rows; the others still equal their cold-start rows. */
    private final java.util.BitSet trainedRows = new java.util.BitSet();
    /** The actor's and the critic's dense tensors, each network in one flat array (see {@link Slot}). */
    private final Param actorFlat;
    private final Param criticFlat;
    private final List<Slot> slots = new ArrayList<>();
    /** Target values, and detached views of the live values for acting, publishing and the frozen-critic path. */
    private final Substitution targetStore;
    private final Substitution frozenCriticStore;
    private final Substitution readStore;
    /** Detached views of the embedding tables (share storage; for the target path). */
    private NDArray itemsDetached;
    private NDArray usersDetached;
    private PrioritizedReplayBuffer<Experience> buffer;
    private final Rng rng;
    private long observed;
    private long steps;
    private long skipped;
    private long dropped;
    private double credit;
    /** The smallest and largest reward observed: the bounds of the Q targets (see LearnerSettings.boundedTargets). */
    private float rewardMin = Float.POSITIVE_INFINITY;
    private float rewardMax = Float.NEGATIVE_INFINITY;
    /**
     * Per user, the catalogue indices of the items the learner has seen them rate positively (windows and horizon
     * positives of observed transitions): no negatives of the softmax term — a rated item cannot be recommended, so
     * treating it as one would push the user's own taste down.
     */
    private final HashMap<Integer, int[]> seenItems = new HashMap<>();
    private long publishedAtStep;
    private long version;
    private ActorWeights lastPublished;
    private long publications;
    private StepResult lastStep = StepResult.NOT_TRAINED;
    private boolean closed;

    /** Starts from {@code initial} (e.g. the seeded v0 that serving also starts from); the critic is seeded. */
    public DrrLearner(LearnerSettings settings, ActorWeights initial) {
        this.settings = settings.copy().validate();
        this.seed = initial.seed();
        this.d = initial.embeddingDim();
        this.n = initial.windowSize();
        this.h = initial.hiddenDim();
        this.rep = initial.stateRepresentation();
        this.sd = initial.stateDim();
        this.itemIds = new int[initial.itemCount()];
        for (int i = 0; i < itemIds.length; i++) itemIds[i] = initial.itemIdAt(i);
        this.rng = new Rng(this.settings.seed ^ 0x4C4541524E4552L);
        this.buffer = new PrioritizedReplayBuffer<>(this.settings.bufferCapacity, this.settings.alpha,
                this.settings.beta0, this.settings.betaSteps, this.settings.priorityEps);
        this.version = initial.version();
        this.lastPublished = initial;
        this.manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice());
        try {
            EngineThreads.disableGradients();
            actorBlock = DrrActorBlock.shapedLike(initial);
            actorBlock.initialize(manager, initial);
            critic = new CriticBlock(this.settings.criticHiddenDim);
            initializeCritic(critic, glorotCritic());
            critic2 = this.settings.twinCritics ? new CriticBlock(this.settings.criticHiddenDim) : null;
            if (critic2 != null) initializeCritic(critic2, glorotCritic());
            Param poolParam = null;
            Param itemParam = null;
            Map<String, Parameter> actorDense = new LinkedHashMap<>();
            for (Map.Entry<String, Parameter> e : actorBlock.namedParameters().entrySet()) {
                String name = e.getKey();
                if (ActorWeights.POOL.equals(name) || DrrActorBlock.ITEM_EMBEDDINGS.equals(name)) {
                    Param p = new Param(name, Group.EMBEDDING, e.getValue(), e.getValue().getArray());
                    params.add(p);
                    if (ActorWeights.POOL.equals(name)) poolParam = p;
                    else itemParam = p;
                } else {
                    actorDense.put(name, e.getValue());
                }
            }
            this.actorFlat = flatten("actor", Group.ACTOR, actorDense);
            Map<String, Parameter> criticParams = new LinkedHashMap<>(critic.namedParameters());
            if (critic2 != null) critic2.namedParameters().forEach((name, p) -> criticParams.put("twin." + name, p));
            this.criticFlat = flatten("critic", Group.CRITIC, criticParams);
            params.add(0, criticFlat);
            params.add(0, actorFlat);
            this.pool = poolParam;
            this.items = itemParam;
            // The tables are trained row-wise through per-step leaves (see train), never as a whole.
            itemParam.value.setRequiresGradient(false);
            // The user table: the learned rows of the initial weights, then room to grow.
            int[] learned = initial.learnedUserIds().clone();
            Arrays.sort(learned);
            int capacity = Math.max(1024, Integer.highestOneBit(Math.max(1, learned.length)) << 1);
            float[] table = new float[capacity * d];
            rowUser = new int[capacity];
            for (int r = 0; r < learned.length; r++) {
                int u = learned[r];
                System.arraycopy(initial.userRow(u), 0, table, r * d, d);
                userRow.put(u, r);
                rowUser[r] = u;
                trainedRows.set(r);
            }
            NDArray userTable = manager.create(table, new Shape(capacity, d));
            this.users = new Param(USER_TABLE, Group.EMBEDDING, null, userTable);
            params.add(users);
            for (Param p : params) {
                p.m = manager.zeros(p.value.getShape());
                p.v = manager.zeros(p.value.getShape());
                if (p.group != Group.EMBEDDING) p.target = p.value.duplicate();
            }
            targetStore = new Substitution(manager);
            frozenCriticStore = new Substitution(manager);
            readStore = new Substitution(manager);
            NDArray actorRead = detached(actorFlat.value);
            NDArray criticRead = detached(criticFlat.value);
            for (Slot slot : slots) {
                NDArray read = slot.flat() == actorFlat ? actorRead : criticRead;
                targetStore.put(slot.parameter(), slice(slot.flat().target, slot, manager));
                readStore.put(slot.parameter(), slice(read, slot, manager));
                if (slot.flat() == criticFlat) frozenCriticStore.put(slot.parameter(), slice(read, slot, manager));
            }
            targetStore.put(pool.parameter, detached(pool.value));
            itemsDetached = detached(items.value);
            usersDetached = detached(users.value);
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    /** A view of {@code array} that shares its storage but records no gradient, owned by the learner's manager. */
    private NDArray detached(NDArray array) {
        NDArray view = array.stopGradient();
        view.attach(manager);
        return view;
    }

    /**
     * Copies the named parameters, in order, into one flat trainable array (the parameters' own arrays are not used
     * from then on) and records a {@link Slot} for each.
     */
    private Param flatten(String name, Group group, Map<String, Parameter> parameters) {
        NDList parts = new NDList();
        for (Parameter parameter : parameters.values()) {
            NDArray array = parameter.getArray();
            array.setRequiresGradient(false);
            parts.add(array.reshape(-1));
        }
        NDArray flat = NDArrays.concat(parts);
        flat.attach(manager);
        parts.close();
        flat.setRequiresGradient(true);
        Param p = new Param(name + ".flat", group, null, flat);
        List<Slot> mine = new ArrayList<>();
        long offset = 0;
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            Shape shape = e.getValue().getArray().getShape();
            mine.add(new Slot(e.getKey(), e.getValue(), p, offset, shape));
            offset += shape.size();
        }
        p.slots = List.copyOf(mine);
        p.cuts = new long[mine.size() - 1];
        for (int i = 1; i < mine.size(); i++) p.cuts[i - 1] = mine.get(i).offset();
        slots.addAll(mine);
        return p;
    }

    /** The slot's part of {@code flat} as a view in the slot's shape, owned by {@code owner}. */
    private static NDArray slice(NDArray flat, Slot slot, NDManager owner) {
        NDArray part = flat.get(owner, new NDIndex(slot.offset() + ":" + (slot.offset() + slot.shape().size())));
        NDArray view = part.reshape(slot.shape());
        part.close();
        return view;
    }

    /** Glorot-uniform weights and zero biases, drawn from the learner's seeded RNG (layer order of the critic). */
    private float[][] glorotCritic() {
        int ch = settings.criticHiddenDim;
        int[] sizes = {sd + d, ch, ch, 1};
        float[][] values = new float[6][];
        for (int l = 0; l < 3; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double limit = Math.sqrt(6.0 / (in + out));
            float[] w = new float[out * in];
            for (int i = 0; i < w.length; i++) w[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
            values[2 * l] = w;
            values[2 * l + 1] = new float[out];
        }
        return values;
    }

    private void initializeCritic(CriticBlock critic, float[][] values) {
        int i = 0;
        for (Parameter p : critic.namedParameters().values()) {
            float[] v = values[i++];
            p.setInitializer((m, shape, type) -> {
                if (shape.size() != v.length) {
                    throw new IllegalArgumentException("critic parameter " + p.getName() + " has shape " + shape
                            + " but " + v.length + " values");
                }
                return m.create(v, shape);
            });
        }
        critic.initialize(manager, DataType.FLOAT32, CriticBlock.inputShapes(1, sd, d));
        // The parameters hold their arrays now; drop the references to the Java values.
        for (Parameter p : critic.namedParameters().values()) p.setInitializer(Initializer.ZEROS);
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
            remember(e.userId(), e.window());
            remember(e.userId(), e.positives());
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

    private int positivesUsed(Experience e) {
        int all = e.positives().length;
        return settings.auxPositives == 0 ? all : Math.min(all, settings.auxPositives);
    }

    /** Adds items (ids) to the user's seen set: a sorted array of catalogue indices (no boxing, ~4 bytes an item). */
    private void remember(int userId, int[] itemIds) {
        if (itemIds == null || itemIds.length == 0) return;
        int[] seen = seenItems.getOrDefault(userId, NO_ITEMS);
        for (int id : itemIds) {
            int idx = itemIndexOf(id);
            if (idx >= 0 && Arrays.binarySearch(seen, idx) < 0) seen = withItem(seen, idx);
        }
        seenItems.put(userId, seen);
    }

    private static final int[] NO_ITEMS = new int[0];

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
        Batch in = assemble(sample.entries(), sample.weights());
        synchronized (COLLECTOR_LOCK) {
            // A fresh thread may start with autograd on: the in-place updates after the backward pass need it off.
            EngineThreads.disableGradients();
            try (NDManager step = manager.newSubManager()) {
                return train(step, in, sample.slots());
            }
        }
    }

    /** The sampled batch as primitive arrays: the only data that goes to the device in a step. */
    private static final class Batch {
        long[] users;
        long[] window;
        float[] mask;
        long[] nextWindow;
        float[] nextMask;
        float[] actions;
        float[] rewards;
        float[] continues;
        float[] weights;
        long[] auxRows;
        long[] auxItems;
        float[] auxSigns;
        /** Per pair: auxDiscount^j for the row's j-th positive (negatives of the logistic loss: their positive's). */
        float[] auxScale;
        /** Distinct rows of the user and item tables that get a gradient in this step (ascending). */
        long[] touchedUsers;
        long[] touchedItems;
        /** The same references as positions in touchedUsers / touchedItems (masked slots: position 0). */
        long[] localUsers;
        long[] localWindow;
        long[] localAuxItems;
        /** Softmax term: flat [B·C] positions of each (row, positive) and of each (row, excluded window item). */
        long[] softmaxTargets;
        long[] softmaxExcluded;
        /** TD3 target policy smoothing noise [B·d], or null. */
        float[] targetNoise;
    }

    private Batch assemble(List<Experience> xs, float[] weights) {
        int batch = xs.size();
        Batch b = new Batch();
        b.users = new long[batch];
        b.window = new long[batch * n];
        b.mask = new float[batch * n];
        b.nextWindow = new long[batch * n];
        b.nextMask = new float[batch * n];
        b.actions = new float[batch * d];
        b.rewards = new float[batch];
        b.continues = new float[batch];
        b.weights = weights;
        boolean softmax = settings.auxWeight > 0 && settings.auxLoss == LearnerSettings.AuxLoss.SOFTMAX;
        boolean logistic = settings.auxWeight > 0 && settings.auxLoss == LearnerSettings.AuxLoss.LOGISTIC;
        int auxCount = 0;
        if (settings.auxWeight > 0) {
            for (Experience e : xs) auxCount += positivesUsed(e) * (logistic ? 1 + settings.auxNegatives : 1);
        }
        b.auxRows = new long[auxCount];
        b.auxItems = new long[auxCount];
        b.auxSigns = new float[auxCount];
        b.auxScale = new float[auxCount];
        int a = 0;
        for (int i = 0; i < batch; i++) {
            Experience e = xs.get(i);
            b.users[i] = rowOf(e.userId());
            fillWindow(e.window(), b.window, b.mask, i * n);
            fillWindow(e.nextWindow(), b.nextWindow, b.nextMask, i * n);
            System.arraycopy(e.action(), 0, b.actions, i * d, d);
            b.rewards[i] = e.reward();
            b.continues[i] = e.done() ? 0f : 1f;
            if (settings.auxWeight > 0) {
                float scale = 1f;
                int[] positives = e.positives();
                for (int q = 0; q < positivesUsed(e); q++) {
                    int p = positives[q];
                    int idx = itemIndexOf(p);
                    if (idx < 0) continue;
                    // softplus(−z) for a positive, softplus(z) for a negative (logistic); the target (softmax).
                    b.auxRows[a] = i;
                    b.auxItems[a] = idx;
                    b.auxScale[a] = scale;
                    b.auxSigns[a++] = -1f;
                    for (int k = 0; logistic && k < settings.auxNegatives; k++) {
                        b.auxRows[a] = i;
                        b.auxItems[a] = rng.nextInt(itemIds.length);
                        b.auxScale[a] = scale;
                        b.auxSigns[a++] = 1f;
                    }
                    scale *= settings.auxDiscount;
                }
            }
        }
        if (a < auxCount) {
            b.auxRows = Arrays.copyOf(b.auxRows, a);
            b.auxItems = Arrays.copyOf(b.auxItems, a);
            b.auxSigns = Arrays.copyOf(b.auxSigns, a);
            b.auxScale = Arrays.copyOf(b.auxScale, a);
        }
        if (settings.targetNoise > 0) {
            float sigma = settings.targetNoise;
            b.targetNoise = new float[batch * d];
            for (int j = 0; j < b.targetNoise.length; j++) {
                b.targetNoise[j] = (float) Math.max(-2 * sigma, Math.min(2 * sigma, rng.nextGaussian() * sigma));
            }
        }
        b.touchedUsers = distinct(b.users, b.users.length, null, 0);
        // Only present slots reference a row; a masked slot contributes nothing and must not count as touched.
        long[] present = new long[b.window.length];
        int np = 0;
        for (int j = 0; j < b.window.length; j++) if (b.mask[j] > 0) present[np++] = b.window[j];
        long[] extra = b.auxItems;
        if (softmax && b.auxRows.length > 0) {
            // The softmax's candidates are every touched row: the whole catalogue, or the batch's windows and positives
            // plus uniformly sampled negatives.
            if (settings.auxNegatives == 0 || settings.auxNegatives >= itemIds.length) {
                extra = new long[itemIds.length];
                for (int j = 0; j < extra.length; j++) extra[j] = j;
            } else {
                extra = Arrays.copyOf(b.auxItems, b.auxItems.length + settings.auxNegatives);
                for (int j = b.auxItems.length; j < extra.length; j++) extra[j] = rng.nextInt(itemIds.length);
            }
        }
        b.touchedItems = distinct(present, np, extra, extra.length);
        b.localUsers = positions(b.touchedUsers, b.users, null);
        b.localWindow = positions(b.touchedItems, b.window, b.mask);
        b.localAuxItems = positions(b.touchedItems, b.auxItems, null);
        if (softmax && b.auxRows.length > 0) {
            int c = b.touchedItems.length;
            b.softmaxTargets = new long[b.auxRows.length];
            for (int j = 0; j < b.auxRows.length; j++) b.softmaxTargets[j] = b.auxRows[j] * c + b.localAuxItems[j];
            // The items the user has rated (the window and everything the learner has seen) are no negatives,
            // unless they are a target of that row.
            long[] excluded = new long[64];
            int ne = 0;
            int rowFrom = 0; // pairs are grouped by row, in row order
            for (int i = 0; i < batch; i++) {
                int[] seen = seenItems.getOrDefault(xs.get(i).userId(), NO_ITEMS);
                for (int j = i * n; j < (i + 1) * n; j++) {
                    if (b.mask[j] > 0 && Arrays.binarySearch(seen, (int) b.window[j]) < 0) seen = withItem(seen, (int) b.window[j]);
                }
                int from = rowFrom, to = rowFrom;
                while (to < b.auxRows.length && b.auxRows[to] == i) to++;
                rowFrom = to;
                for (int idx : seen) {
                    boolean target = false;
                    for (int t = from; t < to && !target; t++) target = b.auxItems[t] == idx;
                    if (target) continue;
                    int pos = Arrays.binarySearch(b.touchedItems, idx);
                    if (pos < 0) continue; // not a candidate (sampled softmax)
                    if (ne == excluded.length) excluded = Arrays.copyOf(excluded, ne * 2);
                    excluded[ne++] = i * (long) c + pos;
                }
            }
            b.softmaxExcluded = Arrays.copyOf(excluded, ne);
        }
        return b;
    }

    /** {@code sorted} with {@code idx} (absent from it) inserted in order, as a new array. */
    private static int[] withItem(int[] sorted, int idx) {
        int ins = -Arrays.binarySearch(sorted, idx) - 1;
        int[] out = new int[sorted.length + 1];
        System.arraycopy(sorted, 0, out, 0, ins);
        out[ins] = idx;
        System.arraycopy(sorted, ins, out, ins + 1, sorted.length - ins);
        return out;
    }

    /** The position of each value in {@code sorted}; where {@code mask} is 0 the position is 0 (never read). */
    private static long[] positions(long[] sorted, long[] values, float[] mask) {
        long[] out = new long[values.length];
        for (int j = 0; j < values.length; j++) {
            if (mask != null && mask[j] <= 0) continue;
            out[j] = Arrays.binarySearch(sorted, values[j]);
        }
        return out;
    }

    /** The distinct values of a[0..na) and b[0..nb), ascending. */
    private static long[] distinct(long[] a, int na, long[] b, int nb) {
        long[] all = Arrays.copyOf(a, na + nb);
        if (nb > 0) System.arraycopy(b, 0, all, na, nb);
        Arrays.sort(all);
        int k = 0;
        for (int i = 0; i < all.length; i++) if (i == 0 || all[i] != all[i - 1]) all[k++] = all[i];
        return Arrays.copyOf(all, k);
    }

    /** Right-aligns the window's newest N items into slots (row index, mask 1); empty or unknown slots masked. */
    private void fillWindow(int[] window, long[] slots, float[] mask, int off) {
        int len = Math.min(window.length, n);
        for (int j = 0; j < len; j++) {
            int index = itemIndexOf(window[window.length - len + j]);
            if (index < 0) continue;
            slots[off + n - len + j] = index;
            mask[off + n - len + j] = 1f;
        }
    }

    private StepResult train(NDManager step, Batch in, int[] bufferSlots) {
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
        // The rows of the embedding tables this step touches, as leaves of this step's graph: gradients land in
        // [rows, d] arrays, never in a table-sized one, and the lazy Adam below writes the rows back.
        long[] itemRows = in.touchedItems.length > 0 ? in.touchedItems : new long[] {0};
        NDArray userRowIdx = step.create(in.touchedUsers);
        NDArray itemRowIdx = step.create(itemRows);
        NDArray userLeaf = embed(userRowIdx, usersDetached);
        NDArray itemLeaf = embed(itemRowIdx, itemsDetached);
        userLeaf.setRequiresGradient(true);
        itemLeaf.setRequiresGradient(true);

        NDArray criticLoss;
        NDArray actorLoss;
        NDArray auxLoss;
        NDArray td;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            // This step's live slices of the flat arrays, cut inside the graph so their gradients reach the flats
            // (one split per network: its backward is one concatenation, not a flat-sized array per slice).
            Substitution liveStore = new Substitution(manager);
            for (Param flat : new Param[] {actorFlat, criticFlat}) {
                NDList parts = flat.value.split(flat.cuts);
                parts.attach(step);
                for (int i = 0; i < flat.slots.size(); i++) {
                    Slot slot = flat.slots.get(i);
                    liveStore.put(slot.parameter(), parts.get(i).reshape(slot.shape()));
                }
            }
            // Targets: y = r + γ(1−done)·min_j Q'_j(s', μ'(s') + ε), nothing of it recorded for the backward pass.
            NDArray next = state(targetStore, userIdx, usersDetached, nextWindow, nextMask, itemsDetached);
            NDArray nextAction = actorBlock.mlp().forward(targetStore, new NDList(next), false).singletonOrThrow();
            if (in.targetNoise != null) nextAction = nextAction.add(step.create(in.targetNoise, new Shape(batch, d)));
            NDArray nextQ = critic.forward(targetStore, new NDList(next, nextAction), false).singletonOrThrow().reshape(batch);
            if (critic2 != null) {
                nextQ = nextQ.minimum(critic2.forward(targetStore, new NDList(next, nextAction), false).singletonOrThrow().reshape(batch));
            }
            NDArray y = rewards.add(continues.mul(nextQ).mul(settings.gamma));
            if (settings.boundedTargets && rewardMin <= rewardMax) {
                // No return can leave [min r, max r] / (1 − γ): an overestimating critic cannot feed on itself.
                float scale = 1f / (1f - settings.gamma);
                y = y.clip(Math.min(0f, rewardMin) * scale, Math.max(0f, rewardMax) * scale);
            }
            y = y.stopGradient();
            y.attach(step);

            // Critic(s): ½·mean(w·δ²) each, into the critics and the state representation.
            NDArray s = state(liveStore, localUsers, userLeaf, localWindow, mask, itemLeaf);
            NDArray criticState = s;
            if (!settings.criticTrainsState) {
                criticState = s.stopGradient();
                criticState.attach(step);
            }
            NDArray q = critic.forward(liveStore, new NDList(criticState, actions), true).singletonOrThrow().reshape(batch);
            td = q.sub(y);
            criticLoss = td.square().mul(isWeights).mean().mul(0.5f);
            if (critic2 != null) {
                NDArray q2 = critic2.forward(liveStore, new NDList(criticState, actions), true).singletonOrThrow().reshape(batch);
                criticLoss = criticLoss.add(q2.sub(y).square().mul(isWeights).mean().mul(0.5f));
            }

            // Actor: −mean w·Q(s̄, μ(s̄)) with the state and the critic's weights detached: moves the actor only; every
            // policyDelay-th step (TD3). With the supervised term, μ runs once over [s̄; s] (2B rows): the s̄ half feeds
            // the actor loss, the s half (gradient into the state representation) the supervised term.
            boolean policyStep = settings.qWeight != 0 && (steps % settings.policyDelay) == 0;
            NDArray frozenState = s.stopGradient();
            frozenState.attach(step);
            boolean aux = in.auxRows.length > 0;
            NDArray total = criticLoss;
            NDArray actorOut = null;
            if (policyStep || aux) {
                NDArray actorIn = !aux ? frozenState : policyStep ? NDArrays.concat(new NDList(frozenState, s)) : s;
                actorOut = actorBlock.mlp().forward(liveStore, new NDList(actorIn), true).singletonOrThrow();
            }
            if (policyStep) {
                NDArray policyAction = aux ? actorOut.get(step, new NDIndex("0:" + batch)) : actorOut;
                NDArray policyQ = critic.forward(frozenCriticStore, new NDList(frozenState, policyAction), true)
                        .singletonOrThrow().reshape(batch);
                actorLoss = policyQ.mul(isWeights).mean().neg();
                if (settings.qWeight > 0) {
                    // TD3+BC: −α·mean(w·Q)/mean|Q| with the scale detached.
                    NDArray scale = policyQ.abs().mean().add(1e-6f).stopGradient();
                    scale.attach(step);
                    total = total.add(actorLoss.div(scale).mul(settings.qWeight));
                } else {
                    total = total.add(actorLoss);
                }
            } else {
                actorLoss = step.zeros(new Shape());
            }
            if (aux) {
                NDArray a = policyStep ? actorOut.get(step, new NDIndex(batch + ":")) : actorOut;
                NDArray pairWeights = embed(step.create(in.auxRows), isWeights.reshape(batch, 1)).reshape(-1)
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
                    auxLoss = picked.mul(pairWeights).sum().neg().div((float) batch);
                } else {
                    // Logistic on a·e of horizon positives vs random items.
                    NDArray rows = embed(step.create(in.auxRows), a);
                    NDArray auxItems = embed(step.create(in.localAuxItems), itemLeaf);
                    NDArray z = rows.mul(auxItems).sum(new int[] {1}).mul(step.create(in.auxSigns));
                    // softplus(z) = max(z, 0) + log(1 + e^−|z|), stable for large |z|.
                    NDArray terms = z.maximum(0f).add(z.abs().neg().exp().add(1f).log());
                    auxLoss = terms.mul(pairWeights).sum().div((float) batch);
                }
                total = total.add(auxLoss.mul(settings.auxWeight));
            } else {
                auxLoss = step.zeros(new Shape());
            }
            collector.backward(total);
        }

        // Grad mode is off from here: the updates below record nothing.
        NDArray[] grads = new NDArray[params.size()];
        NDArray[] sq = new NDArray[Group.values().length];
        for (int i = 0; i < grads.length; i++) {
            Param p = params.get(i);
            NDArray g = (p == users ? userLeaf : p == items ? itemLeaf : p.value).getGradient();
            g.attach(step);
            grads[i] = g;
            NDArray s2 = g.square().sum();
            int gi = p.group.ordinal();
            sq[gi] = sq[gi] == null ? s2 : sq[gi].add(s2);
        }
        NDArray stats = NDArrays.concat(new NDList(
                criticLoss.reshape(1), actorLoss.reshape(1), auxLoss.reshape(1), td.abs().mean().reshape(1),
                sq[0].reshape(1), sq[1].reshape(1), sq[2].reshape(1), td));
        float[] out = stats.toFloatArray();
        float cl = out[0];
        float al = out[1];
        float xl = out[2];
        float absTd = out[3];
        boolean finite = true;
        for (int i = 0; i < 7; i++) finite &= Float.isFinite(out[i]);
        if (!finite) {
            if (skipped < 10 || Long.bitCount(skipped) == 1) {
                LOG.warn("learner step {} skipped: critic loss {}, actor loss {}, aux loss {}, |td| {}, squared gradient "
                        + "norms actor {} critic {} embeddings {}", steps + 1, out[0], out[1], out[2], out[3], out[4],
                        out[5], out[6]);
            }
            for (NDArray g : grads) g.set(new NDIndex("..."), 0f);
            skipped++;
            lastStep = new StepResult(true, true, cl, al, xl, absTd);
            return lastStep;
        }
        float[] scale = new float[Group.values().length];
        Arrays.fill(scale, 1f);
        scale[Group.ACTOR.ordinal()] = clipScale(out[4 + Group.ACTOR.ordinal()]);
        scale[Group.CRITIC.ordinal()] = clipScale(out[4 + Group.CRITIC.ordinal()]);
        long t = steps + 1;
        for (int i = 0; i < grads.length; i++) {
            Param p = params.get(i);
            if (p == users) {
                adamRows(step, p, userLeaf, grads[i], userRowIdx, learningRate(p.group), t);
                if (rep != StateRepresentation.P) for (long r : in.touchedUsers) trainedRows.set((int) r);
            } else if (p == items) {
                if (in.touchedItems.length > 0) adamRows(step, p, itemLeaf, grads[i], itemRowIdx, learningRate(p.group), t);
            }
            else adam(p, grads[i], scale[p.group.ordinal()], learningRate(p.group), t);
        }
        float tau = settings.tau;
        for (Param p : params) {
            if (p.target != null) p.target.subi(p.value).muli(1f - tau).addi(p.value);
        }
        buffer.updatePriorities(bufferSlots, Arrays.copyOfRange(out, 7, 7 + batch));
        steps++;
        lastStep = new StepResult(true, false, cl, al, xl, absTd);
        return lastStep;
    }

    /** The state vectors of a batch: user rows and window item rows gathered on the device, then the model's block. */
    private NDArray state(ParameterStore store, NDArray userIdx, NDArray userTable, NDArray window, NDArray mask,
                          NDArray itemTable) {
        NDArray u = embed(userIdx, userTable);
        NDArray e = embed(window, itemTable);
        return actorBlock.state().forward(store, new NDList(u, e, mask), true).singletonOrThrow();
    }

    /** Rows of {@code table} at {@code indices} (differentiable in the table); owned by the indices' manager. */
    private static NDArray embed(NDArray indices, NDArray table) {
        return indices.getNDArrayInternal().embedding(indices, table, SparseFormat.DENSE).singletonOrThrow();
    }

    private float clipScale(float squaredNorm) {
        if (settings.gradClip <= 0) return 1f;
        double norm = Math.sqrt(squaredNorm);
        return norm <= settings.gradClip ? 1f : (float) (settings.gradClip / norm);
    }

    private float learningRate(Group group) {
        return switch (group) {
            case ACTOR -> settings.actorLr;
            case CRITIC -> settings.criticLr;
            case EMBEDDING -> settings.embeddingLr;
        };
    }

    /**
     * Adam (Kingma &amp; Ba) in place, one fused engine call per tensor: {@code θ −= lr·m̂/(√v̂+ε)} on the gradient
     * scaled by the clip factor; the call also zeroes the gradient for the next step.
     */
    private static void adam(Param p, NDArray grad, float clip, float lr, long t) {
        adam(p, grad, clip, lr, t, p.m, p.v);
    }

    private static void adam(Param p, NDArray grad, float clip, float lr, long t, NDArray m, NDArray v) {
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        float stepSize = (float) (lr * Math.sqrt(c2) / c1);
        p.value.getNDArrayInternal().adamUpdate(new NDList(p.value, grad, m, v), new NDList(p.value), lr, stepSize,
                0f, clip, -1f, BETA1, BETA2, ADAM_EPS, false, false);
    }

    /**
     * Lazy Adam on the rows of an embedding table that have a gradient this step (bias correction by the global
     * step): gathers those rows of value, gradient and moments, updates them, writes them back. A dense update would
     * cost the whole table every step, which grows with the catalogue and the user base.
     */
    private static void adamRows(NDManager step, Param p, NDArray rows, NDArray grad, NDArray idx, float lr, long t) {
        if (idx.size() == 0) return;
        NDArray m = embed(idx, p.m);
        NDArray v = embed(idx, p.v);
        adam(new Param(p.name, p.group, null, rows), grad, 1f, lr, t, m, v);
        NDIndex at = new NDIndex("{}", idx);
        p.value.set(at, rows);
        p.m.set(at, m);
        p.v.set(at, v);
    }

    // ---------------------------------------------------------------- users

    /**
     * The user's row in the table. A new user takes the next unused row, which is zero — the cold-start row serving
     * uses — because the table, its growth and its restore leave every unused row at zero.
     */
    private int rowOf(int userId) {
        Integer row = userRow.get(userId);
        if (row != null) return row;
        int r = userRow.size();
        if (r == rowUser.length) growUsers();
        userRow.put(userId, r);
        rowUser[r] = userId;
        return r;
    }

    /** Doubles the user table (and its moments); rare, so it may copy. */
    private void growUsers() {
        int capacity = rowUser.length * 2;
        rowUser = Arrays.copyOf(rowUser, capacity);
        users.value = grown(users.value, capacity);
        users.m = grown(users.m, capacity);
        users.v = grown(users.v, capacity);
        usersDetached.close();
        usersDetached = detached(users.value);
    }

    private NDArray grown(NDArray old, int capacity) {
        long rows = old.getShape().get(0);
        NDArray bigger;
        try (NDManager tmp = manager.newSubManager()) {
            NDArray zeros = tmp.zeros(new Shape(capacity - rows, d));
            NDArray detachedOld = old.stopGradient();
            detachedOld.attach(tmp);
            bigger = NDArrays.concat(new NDList(detachedOld, zeros));
            bigger.attach(manager);
        }
        old.close();
        return bigger;
    }

    // ---------------------------------------------------------------- acting (for offline use and tests)

    /** μ(s) for one state under the current parameters. */
    public float[] action(int userId, int[] window) {
        try (NDManager tmp = manager.newSubManager()) {
            NDArray s = stateOf(tmp, userId, window);
            return actorBlock.mlp().forward(readStore, new NDList(s), false).singletonOrThrow().toFloatArray();
        }
    }

    /** Q(s, a) under the current critic. */
    public float q(int userId, int[] window, float[] action) {
        try (NDManager tmp = manager.newSubManager()) {
            NDArray s = stateOf(tmp, userId, window);
            NDArray a = tmp.create(action, new Shape(1, d));
            return critic.forward(readStore, new NDList(s, a), false).singletonOrThrow().toFloatArray()[0];
        }
    }

    /** Scores {@code action · e_i} of every item, catalogue index order. */
    public float[] scores(float[] action) {
        try (NDManager tmp = manager.newSubManager()) {
            NDArray a = tmp.create(action, new Shape(1, d));
            return actorBlock.scoring().forward(readStore, new NDList(a), false).singletonOrThrow().toFloatArray();
        }
    }

    /** The state vector of one (user, window) under the current parameters (cold-start row for an unseen user). */
    float[] stateOf(int userId, int[] window) {
        try (NDManager tmp = manager.newSubManager()) {
            return stateOf(tmp, userId, window).toFloatArray();
        }
    }

    private NDArray stateOf(NDManager tmp, int userId, int[] window) {
        long[] slots = new long[n];
        float[] mask = new float[n];
        fillWindow(window == null ? new int[0] : window, slots, mask, 0);
        NDArray u = tmp.create(userRowValues(userId), new Shape(1, d));
        NDArray e = embed(tmp.create(slots, new Shape(1, n)), itemsDetached);
        return actorBlock.state().forward(targetStore, new NDList(u, e, tmp.create(mask, new Shape(1, n))), false)
                .singletonOrThrow();
    }

    private float[] userRowValues(int userId) {
        Integer row = userRow.get(userId);
        if (row == null) return ActorWeights.coldStartUserRow(d);
        try (NDArray r = users.value.get(manager, new NDIndex(row))) {
            return r.toFloatArray();
        }
    }

    // ---------------------------------------------------------------- publication

    /** The current actor as immutable weights under the current version (no new version); copies off the device. */
    public ActorWeights currentWeights() {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        tensors.put(ActorWeights.POOL, pool.value.toFloatArray());
        for (Slot slot : slots) {
            if (slot.flat() == actorFlat) tensors.put(slot.name(), readStore.value(slot.parameter()).toFloatArray());
        }
        Map<Integer, float[]> rows = new HashMap<>();
        float[] table = usedUserRows(users.value);
        for (int r = trainedRows.nextSetBit(0); r >= 0; r = trainedRows.nextSetBit(r + 1)) {
            rows.put(rowUser[r], Arrays.copyOfRange(table, r * d, (r + 1) * d));
        }
        return new ActorWeights(version, seed, d, h, n, rep, tensors, itemIds, items.value.toFloatArray(), rows);
    }

    private float[] usedUserRows(NDArray table) {
        int used = userRow.size();
        if (used == 0) return new float[0];
        try (NDArray part = table.get(manager, new NDIndex("0:" + used))) {
            return part.toFloatArray();
        }
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
     * Everything needed to continue exactly, in a compact binary form: a header, the counters, the RNG, every tensor
     * with its moments and target as raw floats, the used user rows, the replay buffer in binary; only the settings
     * and the last publication go through Java serialisation.
     */
    public byte[] snapshot() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(SNAPSHOT_MAGIC);
            out.writeLong(observed);
            out.writeLong(steps);
            out.writeLong(skipped);
            out.writeLong(dropped);
            out.writeDouble(credit);
            out.writeFloat(rewardMin);
            out.writeFloat(rewardMax);
            out.writeLong(publishedAtStep);
            out.writeLong(version);
            out.writeLong(publications);
            out.writeLong(rng.state());
            out.writeBoolean(lastStep.trained());
            out.writeBoolean(lastStep.skipped());
            out.writeFloat(lastStep.criticLoss());
            out.writeFloat(lastStep.actorLoss());
            out.writeFloat(lastStep.auxLoss());
            out.writeFloat(lastStep.meanAbsTdError());
            writeObject(out, settings);
            writeObject(out, lastPublished);
            int used = userRow.size();
            out.writeInt(used);
            for (int r = 0; r < used; r++) out.writeInt(rowUser[r]);
            for (int r = 0; r < used; r++) out.writeBoolean(trainedRows.get(r));
            out.writeInt(params.size());
            for (Param p : params) {
                out.writeUTF(p.name);
                boolean table = p == users;
                BinaryArrays.writeFloats(out, table ? usedUserRows(p.value) : p.value.toFloatArray());
                BinaryArrays.writeFloats(out, table ? usedUserRows(p.m) : p.m.toFloatArray());
                BinaryArrays.writeFloats(out, table ? usedUserRows(p.v) : p.v.toFloatArray());
                out.writeBoolean(p.target != null);
                if (p.target != null) BinaryArrays.writeFloats(out, p.target.toFloatArray());
            }
            buffer.writeTo(out, Experience.CODEC);
            out.writeInt(seenItems.size());
            for (Map.Entry<Integer, int[]> e : seenItems.entrySet()) {
                out.writeInt(e.getKey());
                BinaryArrays.writeInts(out, e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A learner that continues exactly where {@link #snapshot()} left off, on this JVM's default device. */
    public static DrrLearner restore(byte[] snapshot) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            if (in.readInt() != SNAPSHOT_MAGIC) {
                throw new IllegalArgumentException("not a DRR learner snapshot of this version");
            }
            long observed = in.readLong();
            long steps = in.readLong();
            long skipped = in.readLong();
            long dropped = in.readLong();
            double credit = in.readDouble();
            float rewardMin = in.readFloat();
            float rewardMax = in.readFloat();
            long publishedAtStep = in.readLong();
            long version = in.readLong();
            long publications = in.readLong();
            long rngState = in.readLong();
            StepResult last = new StepResult(in.readBoolean(), in.readBoolean(), in.readFloat(), in.readFloat(),
                    in.readFloat(), in.readFloat());
            LearnerSettings settings = (LearnerSettings) readObject(in);
            ActorWeights lastPublished = (ActorWeights) readObject(in);
            int used = in.readInt();
            int[] userIds = new int[used];
            for (int r = 0; r < used; r++) userIds[r] = in.readInt();
            java.util.BitSet trained = new java.util.BitSet();
            for (int r = 0; r < used; r++) if (in.readBoolean()) trained.set(r);
            int count = in.readInt();
            Map<String, float[][]> tensors = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                float[][] t = new float[4][];
                t[0] = BinaryArrays.readFloats(in);
                t[1] = BinaryArrays.readFloats(in);
                t[2] = BinaryArrays.readFloats(in);
                if (in.readBoolean()) t[3] = BinaryArrays.readFloats(in);
                tensors.put(name, t);
            }
            PrioritizedReplayBuffer<Experience> buffer = PrioritizedReplayBuffer.readFrom(in, Experience.CODEC);
            int seenUsers = in.readInt();
            Map<Integer, int[]> seen = new HashMap<>();
            for (int i = 0; i < seenUsers; i++) seen.put(in.readInt(), BinaryArrays.readInts(in));

            // Built with the last publication's shapes (and no user rows), then every array overwritten.
            Map<String, float[]> dense = new LinkedHashMap<>();
            for (String name : ActorWeights.TENSOR_NAMES) dense.put(name, lastPublished.tensor(name));
            int[] ids = new int[lastPublished.itemCount()];
            for (int i = 0; i < ids.length; i++) ids[i] = lastPublished.itemIdAt(i);
            ActorWeights shape = new ActorWeights(version, lastPublished.seed(), lastPublished.embeddingDim(),
                    lastPublished.hiddenDim(), lastPublished.windowSize(), lastPublished.stateRepresentation(), dense,
                    ids, lastPublished.itemMatrix(), Map.of());
            DrrLearner learner = new DrrLearner(settings, shape);
            learner.loadRestored(tensors, userIds);
            learner.trainedRows.clear();
            learner.trainedRows.or(trained);
            learner.observed = observed;
            learner.steps = steps;
            learner.skipped = skipped;
            learner.dropped = dropped;
            learner.credit = credit;
            learner.rewardMin = rewardMin;
            learner.rewardMax = rewardMax;
            learner.seenItems.putAll(seen);
            learner.publishedAtStep = publishedAtStep;
            learner.version = version;
            learner.publications = publications;
            learner.rng.setState(rngState);
            learner.lastStep = last;
            learner.lastPublished = lastPublished;
            learner.buffer = buffer;
            return learner;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes every restored value, moment, target and user row into the freshly built arrays. */
    private void loadRestored(Map<String, float[][]> tensors, int[] userIds) {
        for (int u : userIds) {
            int r = userRow.size();
            if (r == rowUser.length) growUsers();
            userRow.put(u, r);
            rowUser[r] = u;
        }
        try (NDManager tmp = manager.newSubManager()) {
            for (Param p : params) {
                float[][] t = tensors.get(p.name);
                if (t == null) throw new IllegalArgumentException("snapshot lacks tensor " + p.name);
                if (p == users) {
                    int used = userIds.length;
                    if (used > 0) {
                        Shape rowsShape = new Shape(used, d);
                        NDIndex head = new NDIndex("0:" + used);
                        p.value.set(head, tmp.create(t[0], rowsShape));
                        p.m.set(head, tmp.create(t[1], rowsShape));
                        p.v.set(head, tmp.create(t[2], rowsShape));
                    }
                    continue;
                }
                p.value.set(new NDIndex("..."), tmp.create(t[0], p.value.getShape()));
                p.m.set(new NDIndex("..."), tmp.create(t[1], p.m.getShape()));
                p.v.set(new NDIndex("..."), tmp.create(t[2], p.v.getShape()));
                if (p.target != null) {
                    if (t[3] == null) throw new IllegalArgumentException("snapshot lacks the target of " + p.name);
                    p.target.set(new NDIndex("..."), tmp.create(t[3], p.target.getShape()));
                }
            }
        }
    }

    private static void writeObject(DataOutputStream out, Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(value);
        }
        out.writeInt(bytes.size());
        bytes.writeTo(out);
    }

    private static Object readObject(DataInputStream in) throws IOException {
        byte[] raw = new byte[in.readInt()];
        in.readFully(raw);
        try (ObjectInputStream o = new ObjectInputStream(new ByteArrayInputStream(raw))) {
            return o.readObject();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
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
        for (Slot slot : slots) if (slot.name().equals(name)) return readStore.value(slot.parameter()).toFloatArray();
        for (Param p : params) {
            if (p.name.equals(name)) return p == users ? usedUserRows(p.value) : p.value.toFloatArray();
        }
        throw new IllegalArgumentException("no tensor " + name);
    }

    /** Test hook: sets one critic weight (to exercise the non-finite guard). */
    void poisonCritic(float value) {
        try (NDManager tmp = manager.newSubManager()) {
            criticFlat.value.set(new NDIndex("0"), tmp.create(value)); // critic fc1 weight [0, 0]
        }
    }

    // ---------------------------------------------------------------- helpers

    private int itemIndexOf(int itemId) {
        int i = Arrays.binarySearch(itemIds, itemId);
        return i >= 0 ? i : -1;
    }

    /** A ParameterStore that hands other arrays (targets, detached views) for some parameters. */
    private static final class Substitution extends ParameterStore {
        private final IdentityHashMap<Parameter, NDArray> values = new IdentityHashMap<>();

        Substitution(NDManager manager) {
            super(manager, false);
        }

        void put(Parameter parameter, NDArray value) {
            values.put(parameter, value);
        }

        NDArray value(Parameter parameter) {
            return values.get(parameter);
        }

        @Override
        public NDArray getValue(Parameter parameter, Device device, boolean training) {
            if (parameter == null) return null;
            NDArray v = values.get(parameter);
            return v != null ? v : parameter.getArray();
        }
    }
}
