package io.streamrec.learner;

import java.util.Locale;

/**
 * How the learner keeps its replay ratio. {@link #SYNC}: every due step is taken before the next transition is
 * accepted, so a slow learner backpressures its input and the result of a replay does not depend on how fast or
 * loaded the machine is (MovieLens replays, offline evaluation, tests). {@link #LIVE}: the learner may spend a
 * fraction of wall-clock time training; due steps beyond it are dropped and counted (live traffic, where serving must
 * never wait for learning).
 */
public enum Pacing {
    SYNC,
    LIVE;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Pacing parse(String value) {
        for (Pacing p : values()) if (p.key().equalsIgnoreCase(value == null ? "" : value.trim())) return p;
        throw new IllegalArgumentException("unknown learner pacing '" + value + "', expected sync or live");
    }
}
