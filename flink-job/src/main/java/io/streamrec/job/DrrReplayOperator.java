package io.streamrec.job;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.learner.DrrLearner;
import io.streamrec.model.ActorWeightsCodec;
import io.streamrec.policy.Policies;
import io.streamrec.schema.Recommendation;
import io.streamrec.serving.GreedySlates;
import io.streamrec.serving.SlateRecords;
import io.streamrec.state.RecommendationRequest;
import io.streamrec.weights.WeightsMessage;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * DRR in the job's deterministic replay ({@code replay.deterministic}): serving, reward joining and learning of the
 * {@link DrrLoop}, in one subtask, over the requests in event-time order ({@link io.streamrec.operators.EventTimeOrder}
 * in front of it). Requests are answered in chunks of {@link DrrLoop#CHUNK}; a version the learner publishes serves
 * from the next chunk on — a fixed stream position, whatever the machine's speed — so the same replay gives the same
 * slates, transitions and versions in every run, and the same table as {@code ./streamrec evaluate}, which runs the
 * very same loop. While a chunk fills, the operator holds the watermark just below its oldest request (its slates,
 * emitted later, are never late for the evaluator); at the end of the input the last partial chunk is answered.
 * Each publication also goes to the actor-weights topic (a side output), as the live learner's do.
 */
public final class DrrReplayOperator extends AbstractStreamOperator<Recommendation>
        implements OneInputStreamOperator<RecommendationRequest, Recommendation>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<WeightsMessage> WEIGHTS = new OutputTag<>("drr-replay-weights") {};

    private final StreamrecConfig config;
    private final ItemCatalog catalog;
    private transient DrrLoop loop;
    private transient GreedySlates greedyFor;
    private transient List<RecommendationRequest> chunk;
    private transient long heldWatermark;
    private transient volatile int lastBatchSize;
    private transient volatile double lastBatchMs;

    public DrrReplayOperator(StreamrecConfig config, ItemCatalog catalog) {
        this.config = config;
        this.catalog = catalog;
    }

    @Override
    public void open() throws Exception {
        super.open();
        loop = DrrLoop.online(catalog, config);
        greedyFor = StageSettings.evaluationSlice(config)::contains;
        chunk = new ArrayList<>(DrrLoop.CHUNK);
        heldWatermark = Long.MIN_VALUE;
        getMetricGroup().gauge("actorModelVersion", () -> loop.servingVersion());
        getMetricGroup().gauge("trainSteps", () -> loop.steps());
        getMetricGroup().gauge("skippedSteps", () -> loop.skippedSteps());
        getMetricGroup().gauge("replayRatio", () -> loop.achievedReplayRatio());
        getMetricGroup().gauge("transitions", () -> loop.transitions());
        // as the live actor's gauges (the dashboard's serving status): the last chunk's size and scoring time
        getMetricGroup().gauge("actorBatchSize", () -> lastBatchSize);
        getMetricGroup().gauge("actorLatencyMs", () -> lastBatchMs);
    }

    @Override
    public void processElement(StreamRecord<RecommendationRequest> element) {
        chunk.add(element.getValue());
        if (chunk.size() == DrrLoop.CHUNK) answerChunk();
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Long.MAX_VALUE) answerChunk(); // the end of a bounded replay
        // Slates of the open chunk come later with their requests' timestamps: keep the watermark below them.
        long allowed = chunk.isEmpty() ? mark.getTimestamp() : Math.min(mark.getTimestamp(), oldest() - 1);
        if (allowed > heldWatermark) {
            heldWatermark = allowed;
            super.processWatermark(new Watermark(allowed));
        }
    }

    @Override
    public void endInput() {
        answerChunk();
    }

    private long oldest() {
        long min = Long.MAX_VALUE;
        for (RecommendationRequest r : chunk) min = Math.min(min, r.eventTime);
        return min;
    }

    private void answerChunk() {
        if (chunk.isEmpty()) return;
        long started = System.nanoTime();
        List<DrrLoop.Served> served = loop.serve(chunk, greedyFor);
        lastBatchMs = (System.nanoTime() - started) / 1e6;
        lastBatchSize = chunk.size();
        long emitTime = System.currentTimeMillis();
        for (int i = 0; i < chunk.size(); i++) {
            RecommendationRequest r = chunk.get(i);
            DrrLoop.Served s = served.get(i);
            output.collect(new StreamRecord<>(
                    SlateRecords.recommendation(r, s.scored(), s.explored(), emitTime, Policies.DRR, catalog),
                    r.eventTime));
            loop.join(r, s);
        }
        chunk.clear();
        DrrLearner.Publication p = loop.endChunk();
        if (p != null) {
            WeightsMessage m =
                    new WeightsMessage("full", p.version(), loop.steps(), ActorWeightsCodec.encode(p.full(), emitTime));
            m.replayRatio = loop.achievedReplayRatio();
            m.learnerInfo = "deterministic replay, publication every " + config.get(ConfigKey.PUBLISH_EVERY_STEPS)
                    + " steps applied from the next chunk of " + DrrLoop.CHUNK + " requests, "
                    + loop.skippedSteps() + " steps skipped";
            output.collect(WEIGHTS, new StreamRecord<>(m, emitTime));
        }
    }

    @Override
    public void close() throws Exception {
        if (loop != null) loop.close();
        super.close();
    }
}
