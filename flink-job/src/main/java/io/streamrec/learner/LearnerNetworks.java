package io.streamrec.learner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import io.streamrec.model.ActorWeights;
import io.streamrec.model.CriticBlock;
import io.streamrec.model.DrrActorBlock;
import io.streamrec.model.Rng;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The learner's networks on the device: the model's {@link DrrActorBlock} (state representation, actor MLP, item
 * embedding matrix) and the critic (two with {@code twinCritics}), each network's dense tensors in one flat trainable
 * array (see {@link TensorSlot}) with its target copy, every trained tensor in one list (the user table's last), and
 * the parameter stores that hand the blocks target values or detached views; plus acting under the current
 * parameters (μ(s), Q(s, a), item scores, state vectors).
 */
final class LearnerNetworks {
    private final int d;
    private final int n;
    private final int sd;
    private final NDManager manager;
    private final ItemCatalogue catalogue;
    private final UserTable users;
    final DrrActorBlock actorBlock;
    final CriticBlock critic;
    /** TD3's second critic (clipped double-Q), or null. Its tensors share the critic's flat array. */
    final CriticBlock critic2;
    /** Every trained tensor: the actor's and the critic's flat arrays, the actor block's tables, the user table. */
    final List<LearnerTensor> params;

    final LearnerTensor pool;
    final LearnerTensor items;
    /** The actor's and the critic's dense tensors, each network in one flat array (see {@link TensorSlot}). */
    final LearnerTensor actorFlat;

    final LearnerTensor criticFlat;
    private final List<TensorSlot> slots = new ArrayList<>();
    /** Target values, and detached views of the live values for acting, publishing and the frozen-critic path. */
    final SubstitutingStore targetStore;

    final SubstitutingStore frozenCriticStore;
    final SubstitutingStore readStore;
    /** A detached view of the item embedding table (shares storage; for the target path). */
    final NDArray itemsDetached;

    /**
     * The actor from {@code initial}; the critics Glorot-initialised from {@code rng} (the critic's layers, then the
     * twin's); the user table's tensor joins the trained tensors.
     */
    LearnerNetworks(
            LearnerSettings settings,
            ActorWeights initial,
            NDManager manager,
            Rng rng,
            ItemCatalogue catalogue,
            UserTable users) {
        this.d = initial.embeddingDim();
        this.n = initial.windowSize();
        this.sd = initial.stateDim();
        this.manager = manager;
        this.catalogue = catalogue;
        this.users = users;
        actorBlock = DrrActorBlock.shapedLike(initial);
        actorBlock.initialize(manager, initial);
        int matchDim = settings.criticMatch ? d : 0;
        critic = new CriticBlock(settings.criticHiddenDim, matchDim);
        initializeCritic(critic, glorotCritic(settings.criticHiddenDim, matchDim, rng));
        critic2 = settings.twinCritics ? new CriticBlock(settings.criticHiddenDim, matchDim) : null;
        if (critic2 != null) initializeCritic(critic2, glorotCritic(settings.criticHiddenDim, matchDim, rng));
        List<LearnerTensor> all = new ArrayList<>();
        LearnerTensor poolParam = null;
        LearnerTensor itemParam = null;
        Map<String, Parameter> actorDense = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : actorBlock.namedParameters().entrySet()) {
            String name = e.getKey();
            if (ActorWeights.POOL.equals(name) || DrrActorBlock.ITEM_EMBEDDINGS.equals(name)) {
                LearnerTensor p = new LearnerTensor(
                        name, TensorGroup.EMBEDDING, e.getValue(), e.getValue().getArray());
                all.add(p);
                if (ActorWeights.POOL.equals(name)) poolParam = p;
                else itemParam = p;
            } else {
                actorDense.put(name, e.getValue());
            }
        }
        this.actorFlat = flatten("actor", TensorGroup.ACTOR, actorDense);
        Map<String, Parameter> criticParams = new LinkedHashMap<>(critic.namedParameters());
        if (critic2 != null) critic2.namedParameters().forEach((name, p) -> criticParams.put("twin." + name, p));
        this.criticFlat = flatten("critic", TensorGroup.CRITIC, criticParams);
        all.add(0, criticFlat);
        all.add(0, actorFlat);
        this.pool = poolParam;
        this.items = itemParam;
        // The tables are trained row-wise through per-step leaves (see StepGraph), never as a whole.
        itemParam.value.setRequiresGradient(false);
        for (LearnerTensor p : all) p.initOptimizerState(manager);
        all.add(users.tensor());
        this.params = List.copyOf(all);
        targetStore = new SubstitutingStore(manager);
        frozenCriticStore = new SubstitutingStore(manager);
        readStore = new SubstitutingStore(manager);
        NDArray actorRead = actorFlat.detachedValue(manager);
        NDArray criticRead = criticFlat.detachedValue(manager);
        for (TensorSlot slot : slots) {
            NDArray read = slot.flat() == actorFlat ? actorRead : criticRead;
            targetStore.put(slot.parameter(), slot.view(slot.flat().target, manager));
            readStore.put(slot.parameter(), slot.view(read, manager));
            if (slot.flat() == criticFlat) frozenCriticStore.put(slot.parameter(), slot.view(read, manager));
        }
        targetStore.put(pool.parameter, pool.detachedValue(manager));
        itemsDetached = items.detachedValue(manager);
    }

    /**
     * Copies the named parameters, in order, into one flat trainable array (the parameters' own arrays are not used
     * from then on) and records a {@link TensorSlot} for each.
     */
    private LearnerTensor flatten(String name, TensorGroup group, Map<String, Parameter> parameters) {
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
        LearnerTensor p = new LearnerTensor(name + ".flat", group, null, flat);
        List<TensorSlot> mine = new ArrayList<>();
        long offset = 0;
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            Shape shape = e.getValue().getArray().getShape();
            mine.add(new TensorSlot(e.getKey(), e.getValue(), p, offset, shape));
            offset += shape.size();
        }
        p.slots = List.copyOf(mine);
        p.cuts = new long[mine.size() - 1];
        for (int i = 1; i < mine.size(); i++) p.cuts[i - 1] = mine.get(i).offset();
        slots.addAll(mine);
        return p;
    }

    /**
     * Glorot-uniform weights and zero biases, drawn from the learner's seeded RNG (layer order of the critic), then the
     * bilinear term's M [d, S] when {@code matchDim} > 0 (Glorot too, drawn after the layers).
     */
    private float[][] glorotCritic(int ch, int matchDim, Rng rng) {
        int[] sizes = {sd + d, ch, ch, 1};
        float[][] values = new float[matchDim > 0 ? 7 : 6][];
        for (int l = 0; l < 3; l++) {
            values[2 * l] = glorot(sizes[l], sizes[l + 1], rng);
            values[2 * l + 1] = new float[sizes[l + 1]];
        }
        if (matchDim > 0) values[6] = glorot(sd, matchDim, rng);
        return values;
    }

    private static float[] glorot(int in, int out, Rng rng) {
        double limit = Math.sqrt(6.0 / (in + out));
        float[] w = new float[out * in];
        for (int i = 0; i < w.length; i++) w[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
        return w;
    }

    private void initializeCritic(CriticBlock critic, float[][] values) {
        int i = 0;
        for (Parameter p : critic.namedParameters().values()) {
            float[] v = values[i++];
            p.setInitializer((m, shape, type) -> {
                if (shape.size() != v.length) {
                    throw new IllegalArgumentException(
                            "critic parameter " + p.getName() + " has shape " + shape + " but " + v.length + " values");
                }
                return m.create(v, shape);
            });
        }
        critic.initialize(manager, DataType.FLOAT32, CriticBlock.inputShapes(1, sd, d));
        // The parameters hold their arrays now; drop the references to the Java values.
        for (Parameter p : critic.namedParameters().values()) p.setInitializer(Initializer.ZEROS);
    }

    // ---------------------------------------------------------------- state and acting

    /** The state vectors of a batch: user rows and window item rows gathered on the device, then the model's block. */
    NDArray state(
            ParameterStore store, NDArray userIdx, NDArray userTable, NDArray window, NDArray mask, NDArray itemTable) {
        NDArray u = embed(userIdx, userTable);
        NDArray e = embed(window, itemTable);
        return actorBlock.state().forward(store, new NDList(u, e, mask), true).singletonOrThrow();
    }

    /** Rows of {@code table} at {@code indices} (differentiable in the table); owned by the indices' manager. */
    static NDArray embed(NDArray indices, NDArray table) {
        return indices.getNDArrayInternal()
                .embedding(indices, table, SparseFormat.DENSE)
                .singletonOrThrow();
    }

    /** μ(s) for one state under the current parameters. */
    float[] action(int userId, int[] window) {
        try (NDManager tmp = manager.newSubManager()) {
            NDArray s = stateOf(tmp, userId, window);
            return actorBlock
                    .mlp()
                    .forward(readStore, new NDList(s), false)
                    .singletonOrThrow()
                    .toFloatArray();
        }
    }

    /** Q(s, a) under the current critic. */
    float q(int userId, int[] window, float[] action) {
        try (NDManager tmp = manager.newSubManager()) {
            NDArray s = stateOf(tmp, userId, window);
            NDArray a = tmp.create(action, new Shape(1, d));
            return critic.forward(readStore, new NDList(s, a), false)
                    .singletonOrThrow()
                    .toFloatArray()[0];
        }
    }

    /** min_j Q'_j(s', μ'(s')) under the target networks (no smoothing noise): the bootstrap of a TD target. */
    float targetValue(int userId, int[] nextWindow) {
        try (NDManager tmp = manager.newSubManager()) {
            NDArray s = stateOf(tmp, userId, nextWindow);
            NDArray a =
                    actorBlock.mlp().forward(targetStore, new NDList(s), false).singletonOrThrow();
            float q = critic.forward(targetStore, new NDList(s, a), false)
                    .singletonOrThrow()
                    .toFloatArray()[0];
            if (critic2 != null) {
                q = Math.min(
                        q,
                        critic2.forward(targetStore, new NDList(s, a), false)
                                .singletonOrThrow()
                                .toFloatArray()[0]);
            }
            return q;
        }
    }

    /** Scores {@code action · e_i} of every item, catalogue index order. */
    float[] scores(float[] action) {
        try (NDManager tmp = manager.newSubManager()) {
            NDArray a = tmp.create(action, new Shape(1, d));
            return actorBlock
                    .scoring()
                    .forward(readStore, new NDList(a), false)
                    .singletonOrThrow()
                    .toFloatArray();
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
        catalogue.fillWindow(window == null ? new int[0] : window, slots, mask, 0);
        NDArray u = tmp.create(users.rowValues(userId), new Shape(1, d));
        NDArray e = embed(tmp.create(slots, new Shape(1, n)), itemsDetached);
        return actorBlock
                .state()
                .forward(targetStore, new NDList(u, e, tmp.create(mask, new Shape(1, n))), false)
                .singletonOrThrow();
    }

    // ---------------------------------------------------------------- reading values

    /** The actor's published tensors: the pooling weights, then the actor's dense tensors in block order. */
    Map<String, float[]> actorTensors() {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        tensors.put(ActorWeights.POOL, pool.value.toFloatArray());
        for (TensorSlot slot : slots) {
            if (slot.flat() == actorFlat)
                tensors.put(slot.name(), readStore.value(slot.parameter()).toFloatArray());
        }
        return tensors;
    }

    /** One named tensor's current values (actor, critic and embedding tensors; users: the used rows). */
    float[] values(String name) {
        for (TensorSlot slot : slots) {
            if (slot.name().equals(name))
                return readStore.value(slot.parameter()).toFloatArray();
        }
        for (LearnerTensor p : params) {
            if (p.name.equals(name)) return p == users.tensor() ? users.usedRows(p.value) : p.value.toFloatArray();
        }
        throw new IllegalArgumentException("no tensor " + name);
    }

    /** One named tensor's target values: an actor or critic slot, or the pooling weights (no target: the live ones). */
    float[] targetValues(String name) {
        for (TensorSlot slot : slots) {
            if (slot.name().equals(name))
                return targetStore.value(slot.parameter()).toFloatArray();
        }
        if (pool.name.equals(name)) return targetStore.value(pool.parameter).toFloatArray();
        throw new IllegalArgumentException("no target tensor " + name);
    }

    /** Sets the critic's first weight (fc1 weight [0, 0]). */
    void setFirstCriticWeight(float value) {
        try (NDManager tmp = manager.newSubManager()) {
            criticFlat.value.set(new NDIndex("0"), tmp.create(value));
        }
    }
}
