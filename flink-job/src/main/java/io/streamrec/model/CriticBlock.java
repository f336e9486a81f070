package io.streamrec.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The DRR critic Q(s, a): {@code [s ⊕ a] → Linear(h') → ReLU → Linear(h') → ReLU → Linear(1)}, with {@code match} plus
 * a bilinear term {@code (M·s)·a} (M [d, S], no bias): the dot product an MLP over the concatenation models poorly
 * (Rendle et al. 2020), for the item critic where a is an item's embedding. Inputs
 * {@code (state [B,S], action [B,d])}, output {@code Q [B,1]}. Plain DJL Linear blocks, so the learner trains it
 * under a GradientCollector and evaluates its target copy by handing other values through a ParameterStore.
 */
public final class CriticBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    public static final String FC1_WEIGHT = "critic.fc1.weight";
    public static final String FC1_BIAS = "critic.fc1.bias";
    public static final String FC2_WEIGHT = "critic.fc2.weight";
    public static final String FC2_BIAS = "critic.fc2.bias";
    public static final String FC3_WEIGHT = "critic.fc3.weight";
    public static final String FC3_BIAS = "critic.fc3.bias";
    public static final String MATCH_WEIGHT = "critic.match.weight";

    private final int hiddenDim;
    private final Linear fc1;
    private final Linear fc2;
    private final Linear fc3;
    /** The bilinear term's M, or null. */
    private final Linear match;

    public CriticBlock(int hiddenDim) {
        this(hiddenDim, 0);
    }

    /** @param matchDim the action width d for the bilinear term (M·s)·a, 0 = none */
    public CriticBlock(int hiddenDim, int matchDim) {
        super(VERSION);
        this.hiddenDim = hiddenDim;
        fc1 = addChildBlock("fc1", Linear.builder().setUnits(hiddenDim).build());
        fc2 = addChildBlock("fc2", Linear.builder().setUnits(hiddenDim).build());
        fc3 = addChildBlock("fc3", Linear.builder().setUnits(1).build());
        match = matchDim > 0
                ? addChildBlock(
                        "match",
                        Linear.builder().setUnits(matchDim).optBias(false).build())
                : null;
    }

    public int hiddenDim() {
        return hiddenDim;
    }

    /** Each parameter by its canonical name, in layer order (weight [out,in], then bias). */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> p = new LinkedHashMap<>();
        p.put(FC1_WEIGHT, fc1.getParameters().get("weight"));
        p.put(FC1_BIAS, fc1.getParameters().get("bias"));
        p.put(FC2_WEIGHT, fc2.getParameters().get("weight"));
        p.put(FC2_BIAS, fc2.getParameters().get("bias"));
        p.put(FC3_WEIGHT, fc3.getParameters().get("weight"));
        p.put(FC3_BIAS, fc3.getParameters().get("bias"));
        if (match != null) p.put(MATCH_WEIGHT, match.getParameters().get("weight"));
        return p;
    }

    /** Input shapes for a batch of {@code batch} (state width S, action width d). */
    public static Shape[] inputShapes(long batch, int stateDim, int actionDim) {
        return new Shape[] {new Shape(batch, stateDim), new Shape(batch, actionDim)};
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException(
                    "CriticBlock needs (state [B,S], action [B,d]), got " + inputs.size() + " arrays");
        }
        // The state first, so every intermediate belongs to the caller's per-call manager.
        NDArray x = NDArrays.concat(inputs, 1);
        x = Activation.relu(
                fc1.forward(parameterStore, new NDList(x), training, params).singletonOrThrow());
        x = Activation.relu(
                fc2.forward(parameterStore, new NDList(x), training, params).singletonOrThrow());
        NDArray q = fc3.forward(parameterStore, new NDList(x), training, params).singletonOrThrow();
        if (match != null) {
            NDArray m = match.forward(parameterStore, new NDList(inputs.get(0)), training, params)
                    .singletonOrThrow();
            q = q.add(m.mul(inputs.get(1)).sum(new int[] {1}, true));
        }
        return new NDList(q);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = new Shape(inputShapes[0].get(0), inputShapes[0].get(1) + inputShapes[1].get(1));
        fc1.initialize(manager, dataType, in);
        Shape h = fc1.getOutputShapes(new Shape[] {in})[0];
        fc2.initialize(manager, dataType, h);
        fc3.initialize(manager, dataType, fc2.getOutputShapes(new Shape[] {h})[0]);
        if (match != null) match.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
    }
}
