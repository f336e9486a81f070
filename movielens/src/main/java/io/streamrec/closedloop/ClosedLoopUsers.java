package io.streamrec.closedloop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Simulated users who react to recommendations (a closed loop): each request's slate changes what the user does
 * next, how satisfied they are and how long their sessions last ({@link UserModel}). Seeded and deterministic for a
 * given sequence of slates per user. Not thread-safe.
 */
public final class ClosedLoopUsers {
    private final UserModel model;
    private final long seed;
    private final long start;
    private final Map<Integer, Document> docs = new LinkedHashMap<>();
    private final Document[][] byTopic;
    private final Map<Integer, SimulatedUser> users = new HashMap<>();
    private final List<SessionSummary> sessions = new ArrayList<>();

    /**
     * @param documents the catalogue as the users see it (see {@link #documents})
     * @param start     event time (epoch ms) around which first sessions begin (within one return gap)
     */
    public ClosedLoopUsers(List<Document> documents, UserModel model, long seed, long start) {
        if (documents.isEmpty()) throw new IllegalArgumentException("no documents");
        this.model = model;
        this.seed = seed;
        this.start = start;
        List<List<Document>> topics = new ArrayList<>();
        for (int t = 0; t < model.topics(); t++) topics.add(new ArrayList<>());
        for (Document d : documents) {
            if (d.topic() >= model.topics())
                throw new IllegalArgumentException(
                        "item " + d.itemId() + " has topic " + d.topic() + " >= " + model.topics());
            if (docs.put(d.itemId(), d) != null) throw new IllegalArgumentException("duplicate item " + d.itemId());
            topics.get(d.topic()).add(d);
        }
        byTopic = new Document[model.topics()][];
        for (int t = 0; t < byTopic.length; t++) byTopic[t] = topics.get(t).toArray(Document[]::new);
    }

    /**
     * Documents for items with the given topics: a kaleness k ~ U(0, 1) per item, quality 2k − 1 and appeal 1 − k
     * (each with a little Gaussian noise, clipped), so the most appealing items are mostly those of lowest quality.
     */
    public static List<Document> documents(int[] itemIds, int[] topics, long seed) {
        if (itemIds.length != topics.length) throw new IllegalArgumentException("one topic per item");
        SplittableRandom rng = new SplittableRandom(seed);
        List<Document> out = new ArrayList<>(itemIds.length);
        for (int i = 0; i < itemIds.length; i++) {
            double k = rng.nextDouble();
            double quality = clip(2 * k - 1 + 0.1 * rng.nextGaussian(), -1, 1);
            double appeal = clip(1 - k + 0.1 * rng.nextGaussian(), 0, 1);
            out.add(new Document(itemIds[i], topics[i], (float) quality, (float) appeal));
        }
        return out;
    }

    /** Documents of a catalogue whose topics are the items' first genres, and how many topics that made. */
    public record Catalogue(List<Document> documents, int topics) {}

    /**
     * {@link #documents} for items with genre lists (may be null or empty: topic "(none)"): each distinct first genre
     * is one topic, numbered in order of appearance.
     */
    public static Catalogue byFirstGenre(int[] itemIds, List<List<String>> genres, long seed) {
        Map<String, Integer> topics = new LinkedHashMap<>();
        int[] topicOf = new int[itemIds.length];
        for (int i = 0; i < itemIds.length; i++) {
            List<String> g = genres.get(i);
            topicOf[i] = topics.computeIfAbsent(g == null || g.isEmpty() ? "(none)" : g.get(0), x -> topics.size());
        }
        return new Catalogue(documents(itemIds, topicOf, seed), topics.size());
    }

    private static double clip(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** The user's reaction to a slate (item ids, best first). */
    public Reaction respond(int userId, int[] slate) {
        return user(userId).respond(slate, docs, sessions::add);
    }

    /** An item the user finds without a recommendation (to keep the user's stream going after no choice). */
    public Reaction browse(int userId) {
        return user(userId).browse(byTopic);
    }

    /** The event time at which the user is next active. */
    public long clock(int userId) {
        return user(userId).clock();
    }

    public double satisfaction(int userId) {
        return user(userId).satisfaction();
    }

    public Map<Integer, Document> documents() {
        return Collections.unmodifiableMap(docs);
    }

    /** Every finished session so far, in the order they finished. */
    public List<SessionSummary> sessions() {
        return Collections.unmodifiableList(sessions);
    }

    public UserModel model() {
        return model;
    }

    private SimulatedUser user(int userId) {
        return users.computeIfAbsent(userId, id -> new SimulatedUser(id, model, seed, start));
    }
}
