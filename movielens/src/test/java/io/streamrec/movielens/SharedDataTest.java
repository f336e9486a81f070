package io.streamrec.movielens;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.schema.Movie;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Against the real MovieLens files in /work/shared/data (system property streamrec.shared.data); skipped when absent. */
class SharedDataTest {

    @Test
    void ml100kUData() throws Exception {
        RatingsReader.LoadedRatings r = RatingsReader.load(Fixtures.sharedData("ml-100k"));
        assertThat(r.file().getFileName().toString()).isEqualTo("u.data");
        EventLog log = r.events();
        assertThat(log.size()).isEqualTo(100_000);
        assertThat(r.report().malformed()).isZero();
        Set<Integer> users = new HashSet<>();
        Set<Integer> items = new HashSet<>();
        int[] histogram = new int[6];
        for (int i = 0; i < log.size(); i++) {
            users.add(log.userId(i));
            items.add(log.itemId(i));
            histogram[(int) log.rating(i)]++;
        }
        assertThat(users).hasSize(943);
        assertThat(items).hasSize(1682);
        // The histogram from the data README: a swapped column or a wrong field would break it.
        assertThat(histogram).containsExactly(0, 6110, 11370, 27145, 34174, 21201);
        assertThat(log.get(0)).isEqualTo(new io.streamrec.schema.RatingEvent(196, 242, 3f, 881250949000L));
        log.sortByTime();
        assertThat(log.isSortedByTime()).isTrue();
        assertThat(log.timestamp(0)).isEqualTo(874724710000L); // 1997-09-20, the first ml-100k rating
    }

    @Test
    void ml100kSplitFilesAddUpToUData() throws Exception {
        Path dir = Fixtures.sharedData("ml-100k");
        RatingsReader.LoadedRatings base = RatingsReader.load(Fixtures.sharedFile("ml-100k", "u1.base"));
        RatingsReader.LoadedRatings test = RatingsReader.load(dir.resolve("u1.test"));
        assertThat(base.events().size()).isEqualTo(80_000);
        assertThat(test.events().size()).isEqualTo(20_000);
    }

    @Test
    void mlLatestSmallRatingsCsv() throws Exception {
        RatingsReader.LoadedRatings r = RatingsReader.load(Fixtures.sharedFile("ml-latest-small", "ratings.csv"));
        assertThat(r.format()).isEqualTo(MovieLensFormat.RATINGS_CSV);
        assertThat(r.events().size()).isEqualTo(100_836);
        assertThat(r.report().malformed()).isZero();
        assertThat(r.report().linesRead()).isEqualTo(100_837);
        EventLog log = r.events();
        long halfStars = 0;
        Set<Integer> users = new HashSet<>();
        for (int i = 0; i < log.size(); i++) {
            float x = log.rating(i);
            assertThat(x * 2).isEqualTo((float) Math.rint(x * 2));
            if (x != Math.rint(x)) halfStars++;
            users.add(log.userId(i));
        }
        assertThat(halfStars).isGreaterThan(10_000);
        assertThat(users).hasSize(610);
        assertThat(log.get(0)).isEqualTo(new io.streamrec.schema.RatingEvent(1, 1, 4.0f, 964982703000L));
    }

    @Test
    void ml100kUItemLatin1Titles() throws Exception {
        MovieReader.LoadedMovies m = MovieReader.load(Fixtures.sharedFile("ml-100k", "u.item"));
        assertThat(m.movies()).hasSize(1682);
        assertThat(m.report().malformed()).isZero();
        assertThat(m.report().notes()).isEmpty();
        Map<Integer, Movie> byId = m.movies().stream().collect(Collectors.toMap(x -> x.itemId, Function.identity()));
        assertThat(byId.get(1))
                .isEqualTo(new Movie(1, "Toy Story (1995)", List.of("Animation", "Children's", "Comedy")));
        // Latin-1 é and Á, which a UTF-8 reader would turn into U+FFFD.
        assertThat(byId.get(543).title).isEqualTo("Misérables, Les (1995)");
        assertThat(byId.get(1322).title).isEqualTo("Metisse (Café au Lait) (1993)");
        assertThat(byId.get(1633).title).isEqualTo("Á köldum klaka (Cold Fever) (1994)");
        assertThat(m.movies()).extracting(x -> x.title).noneMatch(t -> t.contains("\uFFFD") || t.contains("Ã"));
        assertThat(byId.get(267)).isEqualTo(new Movie(267, "unknown", List.of()));
    }

    @Test
    void mlLatestSmallMoviesCsv() throws Exception {
        MovieReader.LoadedMovies m = MovieReader.load(Fixtures.sharedFile("ml-latest-small", "movies.csv"));
        assertThat(m.movies()).hasSize(9742);
        assertThat(m.report().malformed()).isZero();
        Map<Integer, Movie> byId = m.movies().stream().collect(Collectors.toMap(x -> x.itemId, Function.identity()));
        assertThat(byId.get(11).title).isEqualTo("American President, The (1995)");
        assertThat(byId.get(29).title).isEqualTo("City of Lost Children, The (Cité des enfants perdus, La) (1995)");
        assertThat(byId.get(114335).genres).isEmpty();
        assertThat(m.movies()).filteredOn(x -> x.title.contains("\"")).isNotEmpty();
    }

    @Test
    void ml1mMoviesDat() throws Exception {
        MovieReader.LoadedMovies m = MovieReader.load(Fixtures.sharedData("ml-1m"));
        assertThat(m.format()).isEqualTo(MovieLensFormat.MOVIES_DAT);
        assertThat(m.movies()).hasSize(3883);
        assertThat(m.report().malformed()).isZero();
        assertThat(m.movies().get(0))
                .isEqualTo(new Movie(1, "Toy Story (1995)", List.of("Animation", "Children's", "Comedy")));
        assertThat(m.movies().get(m.movies().size() - 1).itemId).isEqualTo(3952);
        Map<Integer, Movie> byId = m.movies().stream().collect(Collectors.toMap(x -> x.itemId, Function.identity()));
        assertThat(byId.get(570).title).isEqualTo("Slingshot, The (Kådisbellan ) (1993)");
        assertThat(byId.get(582).title).isEqualTo("Metisse (Café au Lait) (1993)");
    }
}
