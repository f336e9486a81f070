package io.streamrec.weights;

/**
 * One record for the compacted actor-weights topic: key {@code full} or {@code delta} (so compaction keeps the latest
 * full snapshot and the latest delta), the version, and the checksummed JSON of {@code ActorWeightsCodec}. A Flink POJO.
 */
public class WeightsMessage {
    public String key;
    public long version;
    /** The learner's training-step counter when it published (a record header: not part of the checksummed JSON). */
    public long trainStep;

    public byte[] json;
    /** Samples trained per transition so far, and where the learner computes (record headers, as trainStep). */
    public double replayRatio;

    public String learnerInfo = "";

    public WeightsMessage() {}

    public WeightsMessage(String key, long version, long trainStep, byte[] json) {
        this.key = key;
        this.version = version;
        this.trainStep = trainStep;
        this.json = json;
    }

    @Override
    public String toString() {
        return "WeightsMessage{" + key + " v" + version + " step " + trainStep + ", " + (json == null ? 0 : json.length)
                + " bytes}";
    }
}
