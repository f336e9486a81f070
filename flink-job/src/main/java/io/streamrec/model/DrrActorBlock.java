package io.streamrec.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole DRR actor as one DJL block: a {@link StateBlock} ({@link DrrAveStateBlock}, {@link DrrPStateBlock} or
 * {@link DrrUStateBlock}) → {@link ActorMlpBlock} → {@link ItemScoringBlock}.
 * Inputs {@code (user [B,d], windowItems [B,N,d], mask [B,N])}; outputs {@code (action [B,d], scores [B,I])}.
 * Exploring in action space (DDPG), a fourth input {@code noise [B,d]} is added to the action (not clipped: the
 * residual actor has no fixed range, and a·e ranks any vector); the outputs are then {@code (noisy action [B,d], its scores [B,I], the clean action's scores [B,I])}
 * — one matmul over both, so the greedy slate costs no second pass.
 * All values are real DJL {@link Parameter}s, so a training loop can run it under a GradientCollector.
 */
public final class DrrActorBlock extends AbstractBlock {
    /** Name of the item matrix in {@link #namedParameters()}. */
    public static final String ITEM_EMBEDDINGS = "item.embeddings";

    private static final byte VERSION = 1;

    private final int embeddingDim;
    private final int windowSize;
    private final int itemCount;
    private final StateRepresentation stateRepresentation;
    private final StateBlock state;
    private final ActorMlpBlock mlp;
    private final ItemScoringBlock scoring;

    public DrrActorBlock(int embeddingDim, int hiddenDim, int windowSize, int itemCount) {
        this(embeddingDim, hiddenDim, windowSize, itemCount, StateRepresentation.AVE);
    }

    public DrrActorBlock(int embeddingDim, int hiddenDim, int windowSize, int itemCount, StateRepresentation rep) {
        super(VERSION);
        this.stateRepresentation = rep;
        this.embeddingDim = embeddingDim;
        this.windowSize = windowSize;
        this.itemCount = itemCount;
        this.state = addChildBlock("state", StateBlock.of(rep, embeddingDim, windowSize));
        this.mlp = addChildBlock("mlp", new ActorMlpBlock(embeddingDim, hiddenDim, rep.residual()));
        this.scoring = addChildBlock("scoring", new ItemScoringBlock(itemCount, embeddingDim));
    }

    /** A block shaped like {@code weights}. */
    public static DrrActorBlock shapedLike(ActorWeights weights) {
        return new DrrActorBlock(
                weights.embeddingDim(),
                weights.hiddenDim(),
                weights.windowSize(),
                weights.itemCount(),
                weights.stateRepresentation());
    }

    public StateRepresentation stateRepresentation() {
        return stateRepresentation;
    }

    public StateBlock state() {
        return state;
    }

    public ActorMlpBlock mlp() {
        return mlp;
    }

    public ItemScoringBlock scoring() {
        return scoring;
    }

    /** Each parameter under its {@link ActorWeights} tensor name (plus "item.embeddings" for the item matrix). */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> p = new LinkedHashMap<>();
        p.put(ActorWeights.POOL, state.poolWeights());
        p.put(ActorWeights.FC1_WEIGHT, mlp.fc1Weight());
        p.put(ActorWeights.FC1_BIAS, mlp.fc1Bias());
        p.put(ActorWeights.FC2_WEIGHT, mlp.fc2Weight());
        p.put(ActorWeights.FC2_BIAS, mlp.fc2Bias());
        p.put(ActorWeights.FC3_WEIGHT, mlp.fc3Weight());
        p.put(ActorWeights.FC3_BIAS, mlp.fc3Bias());
        p.put(ITEM_EMBEDDINGS, scoring.itemEmbeddings());
        return p;
    }

    /**
     * Initialises every parameter with the values of {@code weights} (instead of random values), creating the
     * arrays in {@code manager} and so on its device. The block must not be initialised yet.
     */
    public void initialize(NDManager manager, ActorWeights weights) {
        if (weights.embeddingDim() != embeddingDim
                || weights.windowSize() != windowSize
                || weights.itemCount() != itemCount
                || weights.stateRepresentation() != stateRepresentation) {
            throw new IllegalArgumentException(weights + " does not fit a block with d=" + embeddingDim + " N="
                    + windowSize + " items=" + itemCount + " state=" + stateRepresentation.key());
        }
        Map<String, Parameter> params = namedParameters();
        Map<Parameter, Initializer> original = new IdentityHashMap<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            original.put(e.getValue(), e.getValue().getInitializer());
            String name = e.getKey();
            float[] values = ITEM_EMBEDDINGS.equals(name)
                    ? weights.itemMatrixRef()
                    : weights.tensorsRef().get(name);
            long[] expected = ITEM_EMBEDDINGS.equals(name)
                    ? new long[] {itemCount, embeddingDim}
                    : Arrays.stream(weights.tensorShape(name)).asLongStream().toArray();
            e.getValue().setInitializer(fixedValues(name, values, new Shape(expected)));
        }
        initialize(manager, DataType.FLOAT32, inputShapes(1));
        // Restore the original initialisers so the parameters stop referencing the (possibly large) Java arrays.
        original.forEach(Parameter::setInitializer);
    }

    private static Initializer fixedValues(String name, float[] values, Shape expected) {
        return (m, shape, dataType) -> {
            if (!shape.equals(expected)) {
                throw new IllegalArgumentException(
                        "parameter " + name + " has shape " + shape + " but the weights hold " + expected);
            }
            if (dataType != DataType.FLOAT32)
                throw new IllegalArgumentException("actor parameters are float32, not " + dataType);
            return m.create(values, shape);
        };
    }

    /** Input shapes for a batch of {@code batch} requests. */
    public Shape[] inputShapes(long batch) {
        return new Shape[] {
            new Shape(batch, embeddingDim), new Shape(batch, windowSize, embeddingDim), new Shape(batch, windowSize)
        };
    }

    /** Copies the current parameter values out (host floats), by the names of {@link #namedParameters()}. */
    public Map<String, float[]> readValues() {
        Map<String, float[]> values = new LinkedHashMap<>();
        namedParameters().forEach((name, p) -> values.put(name, p.getArray().toFloatArray()));
        return values;
    }

    /**
     * The action alone, for two-stage serving (candidates come from an item index, not from scoring the catalogue):
     * inputs as {@link #forward}; outputs {@code (action [B,d])}, or with a noise input {@code (noisy action [B,d],
     * clean action [B,d])}. The same state and MLP children as the full forward.
     */
    public NDList act(ParameterStore parameterStore, NDList inputs) {
        NDList stateInputs = inputs.size() > 3 ? new NDList(inputs.get(0), inputs.get(1), inputs.get(2)) : inputs;
        NDList stateVector = state.forward(parameterStore, stateInputs, false, null);
        NDArray action = mlp.forward(parameterStore, stateVector, false, null).singletonOrThrow();
        return inputs.size() > 3 ? new NDList(action.add(inputs.get(3)), action) : new NDList(action);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList stateInputs = inputs.size() > 3 ? new NDList(inputs.get(0), inputs.get(1), inputs.get(2)) : inputs;
        NDList stateVector = state.forward(parameterStore, stateInputs, training, params);
        NDArray action =
                mlp.forward(parameterStore, stateVector, training, params).singletonOrThrow();
        if (inputs.size() < 4) {
            NDArray scores = scoring.forward(parameterStore, new NDList(action), training, params)
                    .singletonOrThrow();
            return new NDList(action, scores);
        }
        NDArray noisy = action.add(inputs.get(3));
        long batch = action.getShape().get(0);
        NDArray both = scoring.forward(parameterStore, new NDList(noisy.concat(action)), training, params)
                .singletonOrThrow();
        NDList halves = both.split(new long[] {batch});
        return new NDList(noisy, halves.get(0), halves.get(1));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        state.initialize(manager, dataType, inputShapes);
        Shape[] stateShape = state.getOutputShapes(inputShapes);
        mlp.initialize(manager, dataType, stateShape);
        Shape[] actionShape = mlp.getOutputShapes(stateShape);
        scoring.initialize(manager, dataType, actionShape);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return new Shape[] {new Shape(batch, embeddingDim), new Shape(batch, itemCount)};
    }
}
