package io.streamrec.ingest;

import io.streamrec.schema.DeadLetter;
import io.streamrec.schema.RatingEvent;

/** A record read from the ratings topic: either a valid {@link RatingEvent} or the {@link DeadLetter} explaining why not. */
public class RatingRecord implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public RatingEvent event;
    public DeadLetter deadLetter;

    public RatingRecord() {}

    public static RatingRecord valid(RatingEvent event) {
        RatingRecord r = new RatingRecord();
        r.event = event;
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
