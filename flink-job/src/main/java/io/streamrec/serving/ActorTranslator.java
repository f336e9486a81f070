package io.streamrec.serving;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.streamrec.model.DrrActorBlock;
import java.util.Arrays;

/**
 * Moves one pre-gathered micro-batch into the {@link DrrActorBlock} and its outputs back to Java arrays. The whole
 * batch is one predictor input (no DJL batchifier), so it costs one forward pass. The NDArrays are created in the
 * predictor's per-call context manager, which the Predictor closes after {@link #processOutput}.
 */
final class ActorTranslator implements NoBatchifyTranslator<ActorTranslator.Input, ActorTranslator.Output> {

    /**
     * A micro-batch of B requests: user rows [B·d], window rows [B·N·d], mask [B·N]; all row-major. With noise,
     * {@code greedyRows} (ascending; null = all) are the rows whose clean action's scores are wanted.
     */
    record Input(
            int batch,
            int embeddingDim,
            int windowSize,
            float[] users,
            float[] windowItems,
            float[] mask,
            float[] noise,
            int[] greedyRows) {
        /** Without limiting the clean action's scores to some rows. */
        Input(
                int batch,
                int embeddingDim,
                int windowSize,
                float[] users,
                float[] windowItems,
                float[] mask,
                float[] noise) {
            this(batch, embeddingDim, windowSize, users, windowItems, mask, noise, null);
        }
    }

    /**
     * Actions [B·d] and scores [B·I], row-major; with exploration noise the actions are the noisy ones, the scores
     * theirs, and {@code greedyScores} those of the clean actions (else null): [B·I], or [G·I] for the input's
     * {@code greedyRows} in their order.
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
        if (in.noise() != null && in.greedyRows() != null) {
            // gather's index: row r repeated across the d columns
            int d = in.embeddingDim();
            long[] index = new long[in.greedyRows().length * d];
            for (int g = 0; g < in.greedyRows().length; g++) Arrays.fill(index, g * d, (g + 1) * d, in.greedyRows()[g]);
            list.add(m.create(index, new Shape(in.greedyRows().length, d)));
        }
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
