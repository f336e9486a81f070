package io.streamrec.learner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.List;

/** One trained tensor of the learner with its Adam moments and (actor and critic only) its target copy. */
final class LearnerTensor {
    final String name;
    final TensorGroup group;
    final Parameter parameter;
    NDArray value;
    NDArray m;
    NDArray v;
    NDArray target;
    /** A flat array's slots and the offsets where it is split into them (from the second slot on). */
    List<TensorSlot> slots = List.of();

    long[] cuts = new long[0];

    LearnerTensor(String name, TensorGroup group, Parameter parameter, NDArray value) {
        this.name = name;
        this.group = group;
        this.parameter = parameter;
        this.value = value;
    }

    /** Zero Adam moments and, for the actor and the critic, a target copy of the current value. */
    void initOptimizerState(NDManager manager) {
        m = manager.zeros(value.getShape());
        v = manager.zeros(value.getShape());
        if (group != TensorGroup.EMBEDDING) target = value.duplicate();
    }

    /** A view of the value that shares its storage but records no gradient, owned by {@code owner}. */
    NDArray detachedValue(NDManager owner) {
        NDArray view = value.stopGradient();
        view.attach(owner);
        return view;
    }
}
