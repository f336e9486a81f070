package io.streamrec.eval.flink;

/** What the evaluator reads (a Flink POJO): a rating event (policy null) or one policy's slate for an event. */
public class EvalInput {
    public String policy;
    public String requestId;
    public int userId;
    public int itemId;
    public float rating;
    public long eventTime;
    public int[] items;

    public EvalInput() {}

    public boolean isEvent() {
        return policy == null;
    }
}
