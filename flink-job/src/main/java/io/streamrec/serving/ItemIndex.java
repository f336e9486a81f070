package io.streamrec.serving;

import io.streamrec.model.ActorWeights;
import io.streamrec.model.TopK;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.VectorUtil;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * The retrieval stage of two-stage serving: an approximate nearest-neighbour index over one model version's item
 * embeddings, searched by inner product with the actor's action (DRR scores an item by {@code action · e_i}, so the
 * exact top of the catalogue is the maximum-inner-product search this answers approximately). Lucene's HNSW graph,
 * built in memory and single-threaded from a seed: the graph levels are the builder's only randomness, so the same
 * embeddings, seed and settings give the same graph and the same candidates — a replay stays the same table.
 *
 * <p>Inner product is not a metric; the usual reduction to a Euclidean search (a coordinate {@code sqrt(R² − |e|²)}
 * per row, Bachrach et al. 2014) found fewer of the exact top 100 in {@code ItemIndexTest}'s catalogue (71 % against
 * 83 % with M 16, efConstruction 100, a beam of 200), so the graph is built on the inner product itself.
 *
 * <p>Immutable once built; {@link #candidates} may be called from several threads (each search has its own scorer
 * and collector, and Lucene's {@code OnHeapHnswGraph} overload used here is the thread-safe one). A new model
 * version gets a new index, built beside the one that serves.
 */
public final class ItemIndex {
    /** Raw inner products: Lucene's maximum-inner-product similarity keeps their order (dot-product needs unit rows). */
    private static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;

    private final float[][] rows;
    private final int dim;
    private final RandomAccessVectorValues.Floats vectors;
    private final OnHeapHnswGraph graph;
    private final long version;

    private ItemIndex(
            float[][] rows, int dim, RandomAccessVectorValues.Floats vectors, OnHeapHnswGraph graph, long version) {
        this.rows = rows;
        this.dim = dim;
        this.vectors = vectors;
        this.graph = graph;
        this.version = version;
    }

    /**
     * Builds the index over the rows of {@code itemMatrix} [items × dim], row-major (row i is catalogue position i).
     *
     * @param maxConn HNSW's M: links per node on the upper levels (2M on the bottom one)
     * @param beamWidth candidates kept while linking a new node (efConstruction)
     * @param seed the graph levels' seed
     */
    public static ItemIndex build(float[] itemMatrix, int items, int dim, int maxConn, int beamWidth, long seed) {
        if (items < 1 || dim < 1) throw new IllegalArgumentException("an index needs items and dimensions");
        if ((long) items * dim != itemMatrix.length) {
            throw new IllegalArgumentException(
                    "item matrix holds " + itemMatrix.length + " values, not " + items + " × " + dim);
        }
        float[][] rows = new float[items][];
        for (int i = 0; i < items; i++) rows[i] = Arrays.copyOfRange(itemMatrix, i * dim, (i + 1) * dim);
        return build(rows, dim, maxConn, beamWidth, seed, 0);
    }

    /** The index over one model version's item rows (catalogue order), tagged with that version. */
    public static ItemIndex build(ActorWeights weights, int maxConn, int beamWidth, long seed) {
        int d = weights.embeddingDim();
        float[][] rows = new float[weights.itemCount()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new float[d];
            weights.copyItemRow(i, rows[i], 0);
        }
        return build(rows, d, maxConn, beamWidth, seed, weights.version());
    }

    private static ItemIndex build(float[][] rows, int dim, int maxConn, int beamWidth, long seed, long version) {
        if (rows.length < 1 || dim < 1) throw new IllegalArgumentException("an index needs items and dimensions");
        for (int i = 0; i < rows.length; i++) {
            for (float v : rows[i]) {
                if (!Float.isFinite(v)) throw new IllegalArgumentException("item row " + i + " is not finite");
            }
        }
        RandomAccessVectorValues.Floats vectors = RandomAccessVectorValues.fromFloats(Arrays.asList(rows), dim);
        try {
            RandomVectorScorerSupplier scorers =
                    DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorerSupplier(SIMILARITY, vectors);
            HnswGraphBuilder builder = HnswGraphBuilder.create(scorers, maxConn, beamWidth, seed);
            return new ItemIndex(rows, dim, vectors, builder.build(rows.length), version);
        } catch (IOException e) {
            throw new UncheckedIOException("building the item index", e);
        }
    }

    public int size() {
        return rows.length;
    }

    /** The model version whose item embeddings the graph was built from. */
    public long version() {
        return version;
    }

    /**
     * The catalogue positions of about the {@code count} items with the largest {@code query · e_i}, best first by
     * the exact inner product, searched with a beam of {@code max(count, beam)}; {@code query} is {@code dim} values
     * of {@code queries} from {@code offset}.
     */
    public int[] candidates(float[] queries, int offset, int count, int beam) {
        return candidates(queries, offset, count, beam, null);
    }

    /**
     * As {@link #candidates(float[], int, int, int)}, never returning a position in {@code excluded} (ascending
     * catalogue positions, e.g. what the user has rated; null = none): the graph search skips them while it
     * collects, so a user who rated many of the top items still gets {@code count} others.
     */
    public int[] candidates(float[] queries, int offset, int count, int beam, int[] excluded) {
        float[] query = Arrays.copyOfRange(queries, offset, offset + dim);
        Bits accept = excluded == null || excluded.length == 0 ? null : new Excluding(excluded, rows.length);
        try {
            RandomVectorScorer scorer =
                    DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorer(SIMILARITY, vectors, query);
            KnnCollector found =
                    HnswGraphSearcher.search(scorer, Math.max(count, beam), graph, accept, Integer.MAX_VALUE);
            ScoreDoc[] hits = found.topDocs().scoreDocs;
            // Lucene's scores for negative products (1 / (1 − dot)) lose the order in float: rank by the exact product,
            // ties by the lower catalogue position.
            float[] dots = new float[hits.length];
            int[] docs = new int[hits.length];
            for (int i = 0; i < hits.length; i++) {
                docs[i] = hits[i].doc;
                dots[i] = VectorUtil.dotProduct(query, rows[docs[i]]);
            }
            int[] best = TopK.select(dots, 0, hits.length, Math.min(count, hits.length), null, docs);
            int[] out = new int[best.length];
            for (int i = 0; i < best.length; i++) out[i] = docs[best[i]];
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("searching the item index", e);
        }
    }

    /** Every position but the excluded ones (ascending). */
    private record Excluding(int[] excluded, int length) implements Bits {
        @Override
        public boolean get(int index) {
            return Arrays.binarySearch(excluded, index) < 0;
        }
    }

    /** The exact answer {@link #candidates} approximates: the {@code count} largest products by a full scan. */
    public static int[] exactTop(float[] itemMatrix, int items, int dim, float[] queries, int offset, int count) {
        float[] scores = new float[items];
        for (int i = 0; i < items; i++) {
            float s = 0;
            for (int j = 0; j < dim; j++) s += itemMatrix[i * dim + j] * queries[offset + j];
            scores[i] = s;
        }
        return TopK.select(scores, 0, items, count, null);
    }

    /** Recall@count of {@link #candidates} against {@link #exactTop}, averaged over {@code queries} [n × dim]. */
    public double recall(float[] itemMatrix, float[] queries, int count, int beam) {
        return recall(queries, count, beam, (q, offset) -> exactTop(itemMatrix, rows.length, dim, q, offset, count));
    }

    /**
     * Recall@count against exact search on {@code live}'s embeddings (which may be newer than this index's: then
     * the figure includes what the embeddings moved since the build).
     */
    public double recall(ActorWeights live, float[] queries, int count, int beam) {
        if (live.itemCount() != rows.length || live.embeddingDim() != dim) {
            throw new IllegalArgumentException("the weights do not have this index's items and dimensions");
        }
        return recall(queries, count, beam, (q, offset) -> {
            float[] scores = new float[rows.length];
            for (int i = 0; i < scores.length; i++) scores[i] = live.itemDot(i, q, offset);
            return TopK.select(scores, 0, scores.length, count, null);
        });
    }

    private interface Exact {
        int[] top(float[] queries, int offset);
    }

    private double recall(float[] queries, int count, int beam, Exact exact) {
        int n = queries.length / dim;
        long found = 0;
        long wanted = 0;
        for (int q = 0; q < n; q++) {
            int[] truth = exact.top(queries, q * dim);
            Set<Integer> approx = new HashSet<>();
            for (int c : candidates(queries, q * dim, count, beam)) approx.add(c);
            for (int e : truth) if (approx.contains(e)) found++;
            wanted += truth.length;
        }
        return wanted == 0 ? 1.0 : (double) found / wanted;
    }
}
