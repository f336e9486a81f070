package io.streamrec.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.movielens.EventLog;
import io.streamrec.movielens.MovieReader;
import io.streamrec.movielens.RatingsReader;
import io.streamrec.movielens.SyntheticConfig;
import io.streamrec.movielens.SyntheticGenerator;
import io.streamrec.schema.PolicyMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The plain-Java prequential replay: ml-100k when present, else a simulated stream of its size. */
class OnlineReplayTest {
    private static final StreamrecConfig CONFIG = StreamrecConfig.defaults().with(ConfigKey.EVAL_SAMPLE, 1);

    @Test
    void popularityItemKnnAndMfBeatRandomOnCumulativeHitRate() throws Exception {
        Path ml = Path.of(System.getProperty("streamrec.shared.data", "../shared/data"))
                .resolve("ml-100k");
        EventLog events;
        ItemCatalog catalog;
        if (Files.isRegularFile(ml.resolve("u.data"))) {
            events = RatingsReader.load(ml.resolve("u.data")).events().sortByTime();
            catalog = ItemCatalog.of(MovieReader.read(ml.resolve("u.item")));
        } else {
            var data = SyntheticGenerator.generate(SyntheticConfig.of(943, 1682, 100_000, 42));
            events = data.events().sortByTime();
            catalog = ItemCatalog.of(data.movies());
        }
        var result = OnlineReplay.run(events, catalog, CONFIG, List.of("random", "popularity", "itemknn", "mf"));
        Map<String, Double> hit = result.evaluator().cumulative().stream()
                .collect(Collectors.toMap(m -> m.policy, (PolicyMetrics m) -> m.values.get("hit@10")));
        assertThat(hit.get("popularity")).isGreaterThan(hit.get("random") * 3);
        assertThat(hit.get("itemknn")).isGreaterThan(hit.get("random") * 3);
        assertThat(hit.get("mf")).isGreaterThan(hit.get("random") * 3);
        assertThat(result.evaluator().cumulative())
                .allSatisfy(m -> assertThat(m.count).isEqualTo(events.size()));
    }
}
