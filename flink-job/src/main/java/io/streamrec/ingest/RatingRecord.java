package io.streamrec.ingest;

import io.streamrec.schema.DeadLetter;
import io.streamrec.schema.RatingEvent;

/** A record read from the ratings topic: either a valid {@link RatingEvent} or the {@link DeadLetter} explaining why not. */
public class RatingRecord implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public RatingEvent event;
    public DeadLetter deadLetter;
    /** Of a valid record: its original bytes and where it was read, so a later check can still dead-letter it. */
    public byte[] payload;

    public String sourceTopic;
    public Integer partition;
    public Long offset;

    public RatingRecord() {}

    public static RatingRecord valid(
            RatingEvent event, byte[] payload, String sourceTopic, Integer partition, Long offset) {
        RatingRecord r = new RatingRecord();
        r.event = event;
        r.payload = payload;
        r.sourceTopic = sourceTopic;
        r.partition = partition;
        r.offset = offset;
        return r;
    }

    public static RatingRecord dead(DeadLetter deadLetter) {
        RatingRecord r = new RatingRecord();
        r.deadLetter = deadLetter;
        return r;
    }

    public boolean isValid() {
        return event != null;
    }
}
