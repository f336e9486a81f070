package io.streamrec.schema;

/** A record that could not be used, kept with its original bytes and the reason (the {@code ratings-dlq} topic). */
public class DeadLetter implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public String reason;
    public String payloadBase64;
    public boolean truncated;
    public long originalSize;
    public String sourceTopic;
    public Integer partition;
    public Long offset;
    public long detectedAt;

    public DeadLetter() {}
}
