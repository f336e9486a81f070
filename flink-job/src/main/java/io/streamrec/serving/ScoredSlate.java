package io.streamrec.serving;

/**
 * The actor's answer to one request: the top-k items (catalogue indices and ids, best first) with their scores,
 * and the action vector that produced them (kept for the transitions a learner trains on). When the actor explored
 * in action space, the action is the noisy one that ranked the slate and {@code greedyItemIds} is the slate of the
 * clean action (the policy's own best guess, judged as {@code drr-greedy}); otherwise it is null.
 */
public record ScoredSlate(
        long modelVersion, int[] itemIndices, int[] itemIds, float[] scores, float[] action, int[] greedyItemIds) {
    public ScoredSlate(long modelVersion, int[] itemIndices, int[] itemIds, float[] scores, float[] action) {
        this(modelVersion, itemIndices, itemIds, scores, action, null);
    }

    public int size() {
        return itemIds.length;
    }
}
