package io.streamrec.job;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.movielens.EventLog;
import io.streamrec.movielens.MovieLensFiles;
import io.streamrec.movielens.MovieReader;
import io.streamrec.movielens.RatingsReader;
import io.streamrec.movielens.SyntheticConfig;
import io.streamrec.movielens.SyntheticGenerator;
import io.streamrec.schema.Movie;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The events and catalogue a run replays, from the command-line options the embedded demo and the evaluation CLI
 * share: {@code --ratings PATH [--movies PATH]} for MovieLens, otherwise the simulator
 * ({@code --users --items --events --seed}).
 *
 * @param malformed input lines skipped while reading
 */
public record ReplayData(String description, EventLog events, long malformed, ItemCatalog catalog) {

    public static ReplayData load(Map<String, String> o, int defaultEvents) throws IOException {
        if (!o.containsKey("ratings")) {
            SyntheticConfig sc = SyntheticConfig.of(
                    Integer.parseInt(o.getOrDefault("users", "943")),
                    Integer.parseInt(o.getOrDefault("items", "1682")),
                    Integer.parseInt(o.getOrDefault("events", Integer.toString(defaultEvents))),
                    Long.parseLong(o.getOrDefault("seed", "42")));
            SyntheticGenerator.SyntheticData d = SyntheticGenerator.generate(sc);
            return new ReplayData(
                    "simulator (" + sc.users() + " users, " + sc.items() + " items, seed " + sc.seed() + ")",
                    d.events().sortByTime(),
                    0,
                    ItemCatalog.of(d.movies()));
        }
        Path path = Path.of(o.get("ratings"));
        if (!Files.exists(path)) throw new IllegalArgumentException("no such file or folder: " + path);
        RatingsReader.LoadedRatings loaded = RatingsReader.load(path);
        EventLog events = loaded.events().sortByTime();
        List<Movie> movies = null;
        if (o.containsKey("movies")) {
            movies = MovieReader.read(Path.of(o.get("movies"))); // asked for: a bad path is an error
        } else {
            try {
                movies = MovieReader.read(MovieLensFiles.moviesFile(
                        Files.isDirectory(path) ? path : path.toAbsolutePath().getParent()));
            } catch (IOException | RuntimeException e) {
                movies = null; // no metadata beside the ratings: ids only
            }
        }
        ItemCatalog catalog;
        if (movies != null && !movies.isEmpty()) {
            catalog = ItemCatalog.of(movies);
        } else {
            int max = 0;
            for (int i = 0; i < events.size(); i++) max = Math.max(max, events.itemId(i));
            catalog = ItemCatalog.range(max);
        }
        long malformed = loaded.report().malformed();
        return new ReplayData(
                loaded.file() + " (" + loaded.format() + ", " + malformed + " malformed lines skipped)",
                events,
                malformed,
                catalog);
    }
}
