package io.streamrec.learner;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.IdentityHashMap;

/** A ParameterStore that hands other arrays (targets, detached views, live slices) for some parameters. */
final class SubstitutingStore extends ParameterStore {
    private final IdentityHashMap<Parameter, NDArray> values = new IdentityHashMap<>();

    SubstitutingStore(NDManager manager) {
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
