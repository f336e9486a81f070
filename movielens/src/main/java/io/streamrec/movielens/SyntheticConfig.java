package io.streamrec.movielens;

import java.time.Instant;
import java.util.List;

/**
 * Parameters of the synthetic user simulator; the same config (seed included) always yields the same events.
 *
 * @param users number of users (ids 1..users)
 * @param items number of items (ids 1..items)
 * @param events exact number of rating events; at most users × items since nobody rates an item twice
 * @param seed random seed
 * @param factors number of latent taste factors, each named after a real genre (1..{@link #GENRES}.size())
 * @param zipfExponent item popularity ~ 1 / rank^zipfExponent (1.0 is close to MovieLens' long tail)
 * @param startMillis epoch milliseconds of the earliest possible event
 * @param spanMillis length of the simulated period; users arrive in its first 80 %
 */
public record SyntheticConfig(
        int users,
        int items,
        int events,
        long seed,
        int factors,
        double zipfExponent,
        long startMillis,
        long spanMillis) {

    /** Real MovieLens genre names, most common first; factor k is shown as genre k. */
    public static final List<String> GENRES = List.of(
            "Drama",
            "Comedy",
            "Action",
            "Thriller",
            "Romance",
            "Sci-Fi",
            "Horror",
            "Animation",
            "Adventure",
            "Crime",
            "Documentary",
            "Fantasy",
            "Mystery",
            "War",
            "Musical",
            "Western",
            "Film-Noir",
            "Children");

    public static final int DEFAULT_USERS = 6040;
    public static final int DEFAULT_ITEMS = 3706;
    public static final int DEFAULT_EVENTS = 1_000_000;
    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_FACTORS = 8;
    /** 2000-01-01T00:00:00Z, the ml-1m era. */
    public static final long DEFAULT_START =
            Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();

    public static final long DEFAULT_SPAN = 3L * 365 * 24 * 3600 * 1000;

    public SyntheticConfig {
        if (users < 1) throw new IllegalArgumentException("users must be >= 1, got " + users);
        if (items < 1) throw new IllegalArgumentException("items must be >= 1, got " + items);
        if (events < 0) throw new IllegalArgumentException("events must be >= 0, got " + events);
        if ((long) users * items < events) {
            throw new IllegalArgumentException(events + " events need more than " + users + " users x " + items
                    + " items: a user never rates the same item twice");
        }
        if (factors < 1 || factors > GENRES.size()) {
            throw new IllegalArgumentException("factors must be in 1.." + GENRES.size() + ", got " + factors);
        }
        if (!(zipfExponent >= 0 && zipfExponent <= 5)) {
            throw new IllegalArgumentException("zipfExponent must be in 0..5, got " + zipfExponent);
        }
        if (startMillis < 0 || spanMillis < 1) {
            throw new IllegalArgumentException("startMillis must be >= 0 and spanMillis >= 1");
        }
    }

    /** The given sizes and seed with the default factors, Zipf exponent and time span. */
    public static SyntheticConfig of(int users, int items, int events, long seed) {
        return new SyntheticConfig(users, items, events, seed, DEFAULT_FACTORS, 1.0, DEFAULT_START, DEFAULT_SPAN);
    }

    /** ml-1m's shape: 6,040 users, 3,706 rated items, 1,000,000 events, seed 42. */
    public static SyntheticConfig defaults() {
        return of(DEFAULT_USERS, DEFAULT_ITEMS, DEFAULT_EVENTS, DEFAULT_SEED);
    }
}
