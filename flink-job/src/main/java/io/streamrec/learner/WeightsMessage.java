package io.streamrec.learner;

/**
 * One record for the compacted actor-weights topic: key {@code full} or {@code delta} (so compaction keeps the latest
 * full snapshot and the latest delta), the version, and the checksummed JSON of {@code ActorWeightsCodec}. A Flink POJO.
 */
public class WeightsMessage {
    public String key;
    public long version;
    public byte[] json;

    public WeightsMessage() {}

    public WeightsMessage(String key, long version, byte[] json) {
        this.key = key;
        this.version = version;
        this.json = json;
    }

    @Override
    public String toString() {
        return "WeightsMessage{" + key + " v" + version + ", " + (json == null ? 0 : json.length) + " bytes}";
    }
}
