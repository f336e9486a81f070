package io.streamrec.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The DRR actor network: state {@code [B,3d]} → Linear(h) → ReLU → Linear(h) → ReLU → Linear(d) → Tanh → action
 * {@code [B,d]}. A plain {@link SequentialBlock} of DJL Linear blocks (weights {@code [out,in]}, {@code y = x·Wᵀ + b}),
 * keeping handles on the three layers so their parameters can be loaded and exported by name. With {@code residual}
 * (the {@link StateRepresentation#AVE_RES} actor) the state's last d values — DRR-ave's pooled window — are added to
 * the action.
 */
public final class ActorMlpBlock extends SequentialBlock {
    private final Linear fc1;
    private final Linear fc2;
    private final Linear fc3;

    private final int embeddingDim;
    private final boolean residual;

    public ActorMlpBlock(int embeddingDim, int hiddenDim) {
        this(embeddingDim, hiddenDim, false);
    }

    public ActorMlpBlock(int embeddingDim, int hiddenDim, boolean residual) {
        this.embeddingDim = embeddingDim;
        this.residual = residual;
        fc1 = Linear.builder().setUnits(hiddenDim).build();
        fc2 = Linear.builder().setUnits(hiddenDim).build();
        fc3 = Linear.builder().setUnits(embeddingDim).build();
        add(fc1);
        add(Activation.reluBlock());
        add(fc2);
        add(Activation.reluBlock());
        add(fc3);
        // Tanh bounds the action, as in the paper; scores are dot products with it.
        add(Activation.tanhBlock());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList out = super.forwardInternal(store, inputs, training, params);
        if (!residual) return out;
        NDArray state = inputs.singletonOrThrow();
        long width = state.getShape().get(1);
        NDArray avg = state.get(new NDIndex(":, " + (width - embeddingDim) + ":"));
        return new NDList(out.singletonOrThrow().add(avg));
    }

    public boolean residual() {
        return residual;
    }

    public Parameter fc1Weight() {
        return fc1.getParameters().get("weight");
    }

    public Parameter fc1Bias() {
        return fc1.getParameters().get("bias");
    }

    public Parameter fc2Weight() {
        return fc2.getParameters().get("weight");
    }

    public Parameter fc2Bias() {
        return fc2.getParameters().get("bias");
    }

    public Parameter fc3Weight() {
        return fc3.getParameters().get("weight");
    }

    public Parameter fc3Bias() {
        return fc3.getParameters().get("bias");
    }
}
