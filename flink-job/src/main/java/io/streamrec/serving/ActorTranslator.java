package io.streamrec.serving;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.streamrec.model.DrrActorBlock;

/**
 * Moves one pre-gathered micro-batch into the {@link DrrActorBlock} and its outputs back to Java arrays. The whole
 * batch is one predictor input (no DJL batchifier), so it costs one forward pass. The NDArrays are created in the
 * predictor's per-call context manager, which the Predictor closes after {@link #processOutput}.
 */
final class ActorTranslator implements NoBatchifyTranslator<ActorTranslator.Input, ActorTranslator.Output> {

    /** A micro-batch of B requests: user rows [B·d], window rows [B·N·d], mask [B·N]; all row-major. */
    record Input(
            int batch,
            int embeddingDim,
            int windowSize,
            float[] users,
            float[] windowItems,
            float[] mask,
            float[] noise) {}

    /**
     * Actions [B·d] and scores [B·I], row-major; with exploration noise the actions are the noisy ones, the scores
     * theirs, and {@code greedyScores} those of the clean actions (else null).
     */
    record Output(float[] actions, float[] scores, float[] greedyScores) {}

    @Override
    public NDList processInput(TranslatorContext ctx, Input in) {
        return inputs(ctx.getNDManager(), in);
    }

    /** The block's inputs in {@code m}: user, window, mask (and noise when exploring). */
    static NDList inputs(NDManager m, Input in) {
        NDList list = new NDList(
                m.create(in.users(), new Shape(in.batch(), in.embeddingDim())),
                m.create(in.windowItems(), new Shape(in.batch(), in.windowSize(), in.embeddingDim())),
                m.create(in.mask(), new Shape(in.batch(), in.windowSize())));
        if (in.noise() != null) list.add(m.create(in.noise(), new Shape(in.batch(), in.embeddingDim())));
        return list;
    }

    @Override
    public Output processOutput(TranslatorContext ctx, NDList out) {
        // One device→host copy per output per batch.
        return new Output(
                out.get(0).toFloatArray(),
                out.get(1).toFloatArray(),
                out.size() > 2 ? out.get(2).toFloatArray() : null);
    }
}
