package io.streamrec.learner;

/** One sampled batch as primitive arrays: the only data that goes to the device in a step (see BatchAssembler). */
final class TrainingBatch {
    long[] users;
    long[] window;
    float[] mask;
    long[] nextWindow;
    float[] nextMask;
    float[] actions;
    float[] rewards;
    float[] continues;
    float[] weights;
    long[] auxRows;
    long[] auxItems;
    float[] auxSigns;
    /** Per pair: auxDiscount^j for the row's j-th positive (negatives of the logistic loss: their positive's). */
    float[] auxScale;
    /** Distinct rows of the user and item tables that get a gradient in this step (ascending). */
    long[] touchedUsers;

    long[] touchedItems;
    /** The same references as positions in touchedUsers / touchedItems (masked slots: position 0). */
    long[] localUsers;

    long[] localWindow;
    long[] localAuxItems;
    /** Softmax term: flat [B·C] positions of each (row, positive) and of each (row, excluded window item). */
    long[] softmaxTargets;

    long[] softmaxExcluded;
    /**
     * Item critic ({@link LearnerSettings#itemCritic}), else null: each row's served slate as K slots [B·K] (catalogue
     * indices, 0 where the slate is shorter), the slots present, their rewards (1: a horizon positive), and each row's
     * M candidate items [B·M] (the slate first, then sampled items).
     */
    long[] slateItems;

    float[] slateMask;
    float[] slateRewards;
    long[] candidates;
    /** The same as positions in touchedItems. */
    long[] localSlateItems;

    long[] localCandidates;
    /** TD3 target policy smoothing noise [B·d], or null. */
    float[] targetNoise;
}
