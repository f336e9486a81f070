package io.streamrec.learner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

/**
 * One dense tensor of the actor or the critic: a slice of its network's flat array. Adam, the gradient norm and
 * the soft target update then run once per network instead of once per tensor, and the blocks get the slices
 * through a ParameterStore (each step's live slices are cut inside the graph, so gradients land in the flat
 * array's gradient).
 */
record TensorSlot(String name, Parameter parameter, LearnerTensor flat, long offset, Shape shape) {

    /** This slot's part of {@code flatArray} as a view in the slot's shape, owned by {@code owner}. */
    NDArray view(NDArray flatArray, NDManager owner) {
        NDArray part = flatArray.get(owner, new NDIndex(offset + ":" + (offset + shape.size())));
        NDArray view = part.reshape(shape);
        part.close();
        return view;
    }
}
