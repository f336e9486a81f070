package io.streamrec.actor;

/**
 * The actor's answer to one request: the top-k items (catalogue indices and ids, best first) with their scores,
 * and the action vector that produced them (kept for the transitions a learner trains on).
 */
public record ScoredSlate(long modelVersion, int[] itemIndices, int[] itemIds, float[] scores, float[] action) {
    public int size() {
        return itemIds.length;
    }
}
