package io.streamrec.closedloop;

/**
 * One item as the simulated users see it (RecSim's document): a topic, a long-term value ({@code quality}, −1 … 1:
 * "kale" is positive, "chocolate" negative) and an immediate pull ({@code appeal}, 0 … 1: clickbait). The two are
 * anti-correlated, so what is consumed most eagerly tends to leave the user less satisfied.
 */
public record Document(int itemId, int topic, float quality, float appeal) {
    public Document {
        if (topic < 0) throw new IllegalArgumentException("topic must be >= 0, got " + topic);
        if (!(quality >= -1 && quality <= 1)) throw new IllegalArgumentException("quality must be in [-1, 1]");
        if (!(appeal >= 0 && appeal <= 1)) throw new IllegalArgumentException("appeal must be in [0, 1]");
    }
}
