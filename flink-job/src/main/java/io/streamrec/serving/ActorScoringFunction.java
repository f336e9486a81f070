package io.streamrec.serving;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.model.ActorWeights;
import io.streamrec.model.EngineThreads;
import io.streamrec.schema.Recommendation;
import io.streamrec.state.RecommendationRequest;
import io.streamrec.weights.WeightsFollower;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DRR actor as a Flink async operator (use with {@code AsyncDataStream.unorderedWait}; its capacity should be
 * at least a few batch sizes so micro-batches can fill). {@link #asyncInvoke} only enqueues; ONE inference thread
 * per subtask drains the queue into micro-batches (up to {@code batchSize}, waiting at most {@code maxBatchWait}
 * once it holds a request), scores each with one forward pass and completes the futures. One thread completing
 * batches in FIFO order means results leave in input order, which the job relies on for per-user order.
 *
 * <p>Weights can be replaced at run time with {@link #swap(ActorWeights)} (thread-safe): the inference thread picks
 * the new model up before its next batch and only then closes the old one. A failed batch completes all its futures
 * exceptionally (never dropped); a request that times out fails with a {@link TimeoutException} saying why.
 */
public class ActorScoringFunction extends RichAsyncFunction<RecommendationRequest, Recommendation> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ActorScoringFunction.class);
    private static final long POLL_MILLIS = 50; // how quickly an idle inference thread notices close()
    private static final long JOIN_MILLIS = 30_000;
    /** The {@code actorIndexRecall} gauge: recall@100, over at most 32 of the last batch's actions. */
    private static final int RECALL_AT = 100;

    private static final int RECALL_QUERIES = 32;

    private final ActorSettings settings;
    private final ItemCatalog catalog;
    private SlateExplorer explorer;
    private GreedySlates greedyFor = GreedySlates.EVERY_USER;
    private WeightsFollower.Source follow;

    private transient SlateExplorer threadExplorer; // used by the inference thread only
    private transient Thread followerThread;
    private transient Counter exploredCounter;

    private transient AtomicReference<ServingModel> current;
    private transient ConcurrentLinkedQueue<ServingModel> retired;
    private transient LinkedBlockingQueue<Pending> queue;
    private transient Thread inferenceThread;
    private transient volatile boolean running;
    private transient Object lifecycle; // orders swap() against close()'s final cleanup
    private transient boolean closed; // guarded by lifecycle
    private transient Counter requestCounter;
    private transient volatile int lastBatchSize;
    private transient volatile double lastBatchLatencyMs;
    private transient Counter batchCounter;
    private transient Counter errorCounter;
    private transient Counter emptySlateCounter;
    private transient Counter swapCounter;
    private transient volatile float[] recentActions; // the last batch's actions, row-major [B·d]
    private transient volatile double indexRecall; // NaN until measured (set in open: Flink deserialises this object)

    /** One queued request and the future to complete. */
    /** A request waiting for the inference thread, with when it was queued (System.nanoTime). */
    private record Pending(RecommendationRequest request, ResultFuture<Recommendation> future, long queuedAt) {}

    /** Weights come from {@code settings.weightsFile()} when set, else {@link ActorWeights#seeded}. */
    public ActorScoringFunction(ActorSettings settings, ItemCatalog catalog) {
        if (settings == null || catalog == null)
            throw new IllegalArgumentException("settings and catalog are required");
        this.settings = settings;
        this.catalog = catalog;
    }

    /** Explores with ε-greedy over each slate (see {@link SlateExplorer}); null = no exploration. Before the job runs. */
    public ActorScoringFunction withExploration(SlateExplorer explorer) {
        this.explorer = explorer;
        return this;
    }

    /** Selects the greedy slate (judged as drr-greedy) only for these users. Before the job runs. */
    public ActorScoringFunction withGreedySlatesFor(GreedySlates users) {
        this.greedyFor = users;
        return this;
    }

    /**
     * Follows the actor-weights topic: loads its latest version in {@link #open} before serving, then swaps every
     * newer valid version in as it is published (see {@link WeightsFollower}). Before the job runs.
     */
    public ActorScoringFunction followingWeights(WeightsFollower.Source source) {
        this.follow = source;
        return this;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        EngineThreads.configure(settings.engineThreads());
        ActorWeights initial = initialWeights();
        indexRecall = Double.NaN;
        current = new AtomicReference<>(new ServingModel(initial, catalog, settings.k(), settings.retrieval(), null));
        retired = new ConcurrentLinkedQueue<>();
        queue = new LinkedBlockingQueue<>();
        lifecycle = new Object();

        MetricGroup metrics = metricGroup();
        requestCounter = metrics.counter("actorRequests");
        batchCounter = metrics.counter("actorBatches");
        errorCounter = metrics.counter("actorErrors");
        emptySlateCounter = metrics.counter("actorEmptySlates");
        swapCounter = metrics.counter("actorSwaps");
        metrics.gauge("actorModelVersion", (Gauge<Long>) this::currentVersion);
        metrics.gauge("actorQueueSize", (Gauge<Integer>) () -> queue.size());
        // Of the last scored micro-batch: how many requests it held, and the longest time one of them waited in the
        // queue and was scored (ms) — what a Prometheus scrape or the web UI shows of serving.
        metrics.gauge("actorBatchSize", (Gauge<Integer>) () -> lastBatchSize);
        metrics.gauge("actorLatencyMs", (Gauge<Double>) () -> lastBatchLatencyMs);
        exploredCounter = metrics.counter("actorExploredItems");
        // Two-stage serving: recall@100 of the item index against exact search over the same version's embeddings,
        // for the actions served most recently, measured whenever a new index is built (NaN before the first).
        metrics.gauge("actorIndexRecall", (Gauge<Double>) () -> indexRecall);
        threadExplorer = explorer == null ? null : explorer.forSubtask(subtaskIndex());

        running = true;
        if (follow != null) startFollower();
        inferenceThread = new Thread(this::inferenceLoop, "streamrec-actor-" + subtaskIndex());
        inferenceThread.setDaemon(true);
        // DJL finds its engine through the context class loader: use Flink's user-code loader, as this thread does.
        inferenceThread.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        inferenceThread.start();
        LOG.info("actor {} serving {} on {}", subtaskIndex(), current.get(), settings);
    }

    private void startFollower() {
        WeightsFollower follower =
                new WeightsFollower(follow, () -> current.get().weights(), this::swap);
        metricGroup().gauge("actorWeightsRejected", (Gauge<Long>) follower::rejected);
        follower.catchUp(Duration.ofSeconds(30)); // start from the latest published version
        followerThread = new Thread(
                () -> {
                    try {
                        while (running) follower.pollOnce(Duration.ofMillis(100));
                    } catch (RuntimeException e) {
                        if (running) LOG.error("actor-weights follower stopped", e);
                    } finally {
                        follower.close();
                    }
                },
                "streamrec-weights-follower-" + subtaskIndex());
        followerThread.setDaemon(true);
        followerThread.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        followerThread.start();
    }

    /** The weights file (a full snapshot) when configured, else the seeded initialisation. */
    protected ActorWeights initialWeights() {
        return settings.initialWeights(catalog);
    }

    @Override
    public void asyncInvoke(RecommendationRequest request, ResultFuture<Recommendation> resultFuture) {
        if (!running) {
            resultFuture.completeExceptionally(
                    new IllegalStateException("the actor is not running (closed or not opened)"));
            return;
        }
        queue.add(new Pending(request, resultFuture, System.nanoTime()));
    }

    @Override
    public void timeout(RecommendationRequest request, ResultFuture<Recommendation> resultFuture) {
        // No made-up slate: fail loudly with what is needed to diagnose a stuck or overloaded actor. If the inference
        // thread still answers later, Flink ignores the second completion.
        errorCounter.inc();
        resultFuture.completeExceptionally(new TimeoutException("actor timed out on request " + request.requestId
                + " of user " + request.userId + " (model v" + currentVersion() + ", " + queue.size()
                + " requests queued, inference thread " + (inferenceThread.isAlive() ? "alive" : "dead") + ")"));
    }

    /**
     * Serves {@code weights} from the next batch on. Builds the new model in the calling thread (so a bad snapshot
     * fails here, leaving the current one in place) and never blocks on inference.
     *
     * @throws IllegalArgumentException when the weights do not fit the catalogue
     * @throws IllegalStateException    when the function is not open
     */
    public void swap(ActorWeights weights) {
        if (lifecycle == null) throw new IllegalStateException("cannot swap actor weights: the function is not open");
        synchronized (lifecycle) {
            if (closed) throw new IllegalStateException("cannot swap actor weights: the function is closed");
        }
        ServingModel now = current.get();
        ServingModel next = new ServingModel(weights, catalog, settings.k(), settings.retrieval(), now.index());
        if (next.index() != null && next.index() != now.index()) measureRecall(next);
        ServingModel previous;
        synchronized (lifecycle) {
            if (closed) {
                next.close();
                throw new IllegalStateException("cannot swap actor weights: the function is closed");
            }
            previous = current.getAndSet(next);
            // Only the inference thread closes models while it runs (it is their only user), once it has moved past
            // them; close() frees whatever is left after the thread has stopped.
            retired.add(previous);
        }
        swapCounter.inc();
        LOG.info("actor {} swapped v{} -> v{}", subtaskIndex(), previous.version(), next.version());
    }

    /**
     * Recall@100 of {@code model}'s new index for (up to 32 of) the actions of the last scored batch, against exact
     * search on the same embeddings; logged and kept for the gauge. Runs in the swapping thread, like the build.
     */
    private void measureRecall(ServingModel model) {
        float[] actions = recentActions;
        if (actions == null) return;
        int d = model.weights().embeddingDim();
        float[] queries = Arrays.copyOf(actions, Math.min(actions.length, RECALL_QUERIES * d));
        Retrieval r = model.retrieval();
        indexRecall = model.index().recall(model.weights(), queries, RECALL_AT, r.beam());
        LOG.info(
                "actor {} item index v{}: recall@{} {} over {} recent actions",
                subtaskIndex(),
                model.index().version(),
                RECALL_AT,
                String.format(Locale.ROOT, "%.3f", indexRecall),
                queries.length / d);
    }

    /** Version of the model the next batch will be scored with; -1 before open. */
    public long currentVersion() {
        AtomicReference<ServingModel> ref = current;
        ServingModel m = ref == null ? null : ref.get();
        return m == null ? -1 : m.version();
    }

    /** Micro-batches scored so far by this instance (tests check batching with it). */
    long batchesScored() {
        return batchCounter == null ? 0 : batchCounter.getCount();
    }

    ServingModel currentModel() {
        return current == null ? null : current.get();
    }

    private void inferenceLoop() {
        List<Pending> batch = new ArrayList<>(settings.batchSize());
        ServingModel inUse = null;
        ActorScorer scorer = null;
        try {
            while (running) {
                Pending first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                fill(batch);
                ServingModel latest = current.get();
                if (latest != inUse) {
                    if (scorer != null) scorer.close();
                    scorer = null;
                    inUse = latest;
                    closeRetiredExcept(latest);
                    scorer = latest.newScorer();
                }
                score(scorer, batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            // Scoring errors are handled per batch; this is a failure to (re)build a scorer: fail what we hold.
            LOG.error("actor inference thread failed", t);
            fail(batch, t);
        } finally {
            running = false;
            if (scorer != null) scorer.close();
            fail(drain(), new CancellationException("actor inference thread stopped"));
        }
    }

    /** Tops the batch up to batchSize, waiting at most maxBatchWait after its first request. */
    private void fill(List<Pending> batch) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(settings.maxBatchWaitMicros());
        while (batch.size() < settings.batchSize()) {
            if (queue.drainTo(batch, settings.batchSize() - batch.size()) > 0) continue;
            long left = deadline - System.nanoTime();
            if (left <= 0) return;
            Pending next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) return;
            batch.add(next);
        }
    }

    private void score(ActorScorer scorer, List<Pending> batch) {
        List<RecommendationRequest> requests = new ArrayList<>(batch.size());
        for (Pending p : batch) requests.add(p.request());
        List<ScoredSlate> slates;
        try {
            slates = scorer.score(
                    requests,
                    threadExplorer == null
                            ? null
                            : threadExplorer.actionNoise(
                                    requests.size(), scorer.model().weights().embeddingDim()),
                    greedyFor);
        } catch (Throwable t) {
            errorCounter.inc(batch.size());
            LOG.warn(
                    "actor v{} failed to score a batch of {} requests",
                    scorer.model().version(),
                    batch.size(),
                    t);
            fail(
                    batch,
                    new RuntimeException(
                            "actor v" + scorer.model().version() + " failed to score a batch of " + batch.size()
                                    + " requests",
                            t));
            if (t instanceof Error) throw (Error) t;
            return;
        }
        batchCounter.inc();
        requestCounter.inc(batch.size());
        if (scorer.model().index() != null) keepActions(slates);
        // the latency before the size: a reader that sees a batch's size sees its latency too
        lastBatchLatencyMs = (System.nanoTime() - batch.get(0).queuedAt()) / 1e6;
        lastBatchSize = batch.size();
        long emitTime = System.currentTimeMillis();
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            try {
                ScoredSlate slate = slates.get(i);
                // An empty slate (the user has rated every candidate) is still emitted: one answer per event.
                if (slate.size() == 0) emptySlateCounter.inc();
                p.future()
                        .complete(Collections.singletonList(SlateRecords.recommendation(
                                p.request(),
                                slate,
                                emitTime,
                                settings.policy(),
                                threadExplorer,
                                catalog,
                                exploredCounter)));
            } catch (Throwable t) {
                p.future().completeExceptionally(t);
            }
        }
    }

    private void keepActions(List<ScoredSlate> slates) {
        int d = slates.get(0).action().length;
        int n = Math.min(slates.size(), RECALL_QUERIES);
        float[] a = new float[n * d];
        for (int i = 0; i < n; i++) System.arraycopy(slates.get(i).action(), 0, a, i * d, d);
        recentActions = a;
    }

    private void closeRetiredExcept(ServingModel keep) {
        // A model swapped out after we read `current` may already be retired: keep it until we have moved past it.
        for (ServingModel m : retired) {
            if (m != keep && retired.remove(m)) m.close();
        }
    }

    private List<Pending> drain() {
        List<Pending> left = new ArrayList<>();
        if (queue != null) queue.drainTo(left);
        return left;
    }

    private static void fail(List<Pending> pending, Throwable cause) {
        for (Pending p : pending) p.future().completeExceptionally(cause);
        pending.clear();
    }

    @Override
    public void close() throws Exception {
        running = false;
        if (followerThread != null) followerThread.join(JOIN_MILLIS);
        boolean stopped = true;
        if (inferenceThread != null) {
            inferenceThread.join(JOIN_MILLIS);
            stopped = !inferenceThread.isAlive();
        }
        if (lifecycle != null) {
            synchronized (lifecycle) {
                closed = true;
                if (stopped) {
                    fail(drain(), new CancellationException("actor closed"));
                    closeModels();
                } else {
                    // Freeing native memory under a thread still inside the engine could crash the JVM; leak it.
                    LOG.error(
                            "actor inference thread did not stop within {} ms; its native memory is not freed",
                            JOIN_MILLIS);
                }
            }
        }
        super.close();
    }

    private void closeModels() {
        if (retired != null) {
            for (ServingModel m; (m = retired.poll()) != null; ) m.close();
        }
        if (current != null) {
            ServingModel m = current.get();
            if (m != null) m.close();
        }
    }

    private MetricGroup metricGroup() {
        try {
            return getRuntimeContext().getMetricGroup();
        } catch (IllegalStateException | NullPointerException e) {
            return new UnregisteredMetricsGroup(); // driven directly, without a Flink runtime
        }
    }

    private int subtaskIndex() {
        try {
            return getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        } catch (IllegalStateException | NullPointerException e) {
            return 0;
        }
    }
}
