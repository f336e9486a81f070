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
 * The DRR critic Q(s, a): {@code [s ⊕ a] → Linear(h') → ReLU → Linear(h') → ReLU → Linear(1)}. Inputs
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

    private final int hiddenDim;
    private final Linear fc1;
    private final Linear fc2;
    private final Linear fc3;

    public CriticBlock(int hiddenDim) {
        super(VERSION);
        this.hiddenDim = hiddenDim;
        fc1 = addChildBlock("fc1", Linear.builder().setUnits(hiddenDim).build());
        fc2 = addChildBlock("fc2", Linear.builder().setUnits(hiddenDim).build());
        fc3 = addChildBlock("fc3", Linear.builder().setUnits(1).build());
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
        return fc3.forward(parameterStore, new NDList(x), training, params);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = new Shape(inputShapes[0].get(0), inputShapes[0].get(1) + inputShapes[1].get(1));
        fc1.initialize(manager, dataType, in);
        Shape h = fc1.getOutputShapes(new Shape[] {in})[0];
        fc2.initialize(manager, dataType, h);
        fc3.initialize(manager, dataType, fc2.getOutputShapes(new Shape[] {h})[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
    }
}
