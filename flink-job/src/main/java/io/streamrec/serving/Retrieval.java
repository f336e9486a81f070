package io.streamrec.serving;

import io.streamrec.model.ActorWeights;
import java.io.Serializable;

/**
 * The retrieval stage's settings (two-stage serving): how many candidates the {@link ItemIndex} hands the actor per
 * request, how the HNSW graph is built and searched, and when a new model version gets a new graph.
 *
 * @param candidates items retrieved per request and re-ranked by the actor; 0 = no retrieval stage (the actor scores
 *     the whole catalogue)
 * @param beam search beam (efSearch), at least {@code candidates} is used
 * @param maxConn links per node (M)
 * @param efConstruction candidates kept while linking a node
 * @param rebuildVersions a model at least this many versions newer than the index gets a new one
 * @param seed the graph levels' seed: the same embeddings and seed give the same graph
 */
public record Retrieval(int candidates, int beam, int maxConn, int efConstruction, int rebuildVersions, long seed)
        implements Serializable {
    /** Whole-catalogue scoring. */
    public static final Retrieval NONE = new Retrieval(0, 1, 1, 1, 1, 0);

    public Retrieval {
        if (candidates < 0) throw new IllegalArgumentException("candidates must be >= 0, got " + candidates);
        if (beam < 1 || maxConn < 1 || efConstruction < 1 || rebuildVersions < 1) {
            throw new IllegalArgumentException("beam, M, efConstruction and rebuildVersions must be >= 1: " + this);
        }
    }

    public boolean enabled() {
        return candidates > 0;
    }

    /**
     * The index to serve {@code weights} with: {@code previous} while it is fewer than {@code rebuildVersions}
     * versions older (its graph still retrieves; the new embeddings re-rank what it finds), else a new one built from
     * {@code weights}' item matrix; null without a retrieval stage. Builds in the calling thread.
     */
    public ItemIndex indexFor(ActorWeights weights, ItemIndex previous) {
        if (!enabled()) return null;
        if (previous != null
                && previous.size() == weights.itemCount()
                && weights.version() - previous.version() < rebuildVersions) {
            return previous;
        }
        return ItemIndex.build(weights, maxConn, efConstruction, seed);
    }

    @Override
    public String toString() {
        return enabled()
                ? "two-stage{" + candidates + " candidates, beam " + beam + ", M " + maxConn + ", efC " + efConstruction
                        + ", rebuild every " + rebuildVersions + " versions}"
                : "whole catalogue";
    }
}
