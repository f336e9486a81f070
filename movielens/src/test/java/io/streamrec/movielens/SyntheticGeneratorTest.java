package io.streamrec.movielens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.schema.Movie;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SyntheticGeneratorTest {
    private static final int USERS = 600;
    private static final int ITEMS = 1500;
    private static final int EVENTS = 100_000;
    private static SyntheticGenerator.SyntheticData data;

    @BeforeAll
    static void generate() {
        data = SyntheticGenerator.generate(SyntheticConfig.of(USERS, ITEMS, EVENTS, 7));
    }

    @Test
    void exactCountIdsInRangeWholeStarsAndSortedByTime() {
        EventLog e = data.events();
        assertThat(e.size()).isEqualTo(EVENTS);
        assertThat(e.isSortedByTime()).isTrue();
        Set<Integer> users = new HashSet<>();
        int[] stars = new int[6];
        for (int i = 0; i < e.size(); i++) {
            assertThat(e.userId(i)).isBetween(1, USERS);
            assertThat(e.itemId(i)).isBetween(1, ITEMS);
            float r = e.rating(i);
            assertThat(r).isBetween(1f, 5f);
            assertThat(r).isEqualTo((float) Math.rint(r));
            stars[(int) r]++;
            users.add(e.userId(i));
        }
        assertThat(users).as("every user rates something").hasSize(USERS);
        for (int s = 1; s <= 5; s++) {
            assertThat(stars[s]).as("%d stars used", s).isGreaterThan(EVENTS / 50);
        }
        assertThat(e.timestamp(0)).isGreaterThanOrEqualTo(SyntheticConfig.DEFAULT_START);
        assertThat(e.timestamp(e.size() - 1))
                .isLessThan(SyntheticConfig.DEFAULT_START + SyntheticConfig.DEFAULT_SPAN + 86_400_000L * 30);
    }

    @Test
    void noUserRatesAnItemTwice() {
        EventLog e = data.events();
        Set<Long> pairs = new HashSet<>();
        for (int i = 0; i < e.size(); i++) {
            assertThat(pairs.add(((long) e.userId(i) << 32) | e.itemId(i)))
                    .as("repeated pair at %d", i)
                    .isTrue();
        }
    }

    @Test
    void noRepeatsEvenWhenUsersMustRateAlmostEverything() {
        EventLog e =
                SyntheticGenerator.generate(SyntheticConfig.of(10, 50, 480, 3)).events();
        assertThat(e.size()).isEqualTo(480);
        Set<Long> pairs = new HashSet<>();
        for (int i = 0; i < e.size(); i++) pairs.add(((long) e.userId(i) << 32) | e.itemId(i));
        assertThat(pairs).hasSize(480);
        assertThatThrownBy(() -> SyntheticConfig.of(10, 50, 501, 3))
                .hasMessageContaining("never rates the same item twice");
    }

    @Test
    void sameSeedSameEventsDifferentSeedDifferentEvents() {
        EventLog again = SyntheticGenerator.generate(SyntheticConfig.of(USERS, ITEMS, EVENTS, 7))
                .events();
        EventLog other = SyntheticGenerator.generate(SyntheticConfig.of(USERS, ITEMS, EVENTS, 8))
                .events();
        assertThat(again.asList()).isEqualTo(data.events().asList());
        assertThat(SyntheticGenerator.generate(SyntheticConfig.of(USERS, ITEMS, EVENTS, 7))
                        .movies())
                .isEqualTo(data.movies());
        int same = 0;
        for (int i = 0; i < 1000; i++) {
            if (other.get(i).equals(data.events().get(i))) same++;
        }
        assertThat(same).isLessThan(10);
    }

    @Test
    void popularityIsZipfSkewed() {
        int[] perItem = new int[ITEMS + 1];
        EventLog e = data.events();
        for (int i = 0; i < e.size(); i++) perItem[e.itemId(i)]++;
        int[] sorted = Arrays.stream(perItem, 1, ITEMS + 1).sorted().toArray();
        long top = 0;
        for (int i = 0; i < ITEMS / 10; i++) top += sorted[ITEMS - 1 - i];
        // Uniform popularity would give the top 10 % about 10-15 % (sampling noise); ml-100k gives them 43 %.
        assertThat((double) top / EVENTS).isGreaterThan(0.30);
        assertThat(sorted[ITEMS - 1]).as("most popular item").isGreaterThan(10 * Math.max(1, sorted[ITEMS / 2]));
    }

    @Test
    void catalogueHasEveryItemWithRealGenreNames() {
        List<Movie> movies = data.movies();
        assertThat(movies).hasSize(ITEMS);
        assertThat(movies.get(16)).satisfies(m -> {
            assertThat(m.itemId).isEqualTo(17);
            assertThat(m.title).isEqualTo("Synthetic Movie 17");
        });
        assertThat(movies).allSatisfy(m -> assertThat(m.genres)
                .isNotEmpty()
                .hasSizeLessThanOrEqualTo(2)
                .allMatch(SyntheticConfig.GENRES::contains));
        assertThat(movies.stream().map(m -> m.genres.get(0)).distinct().count())
                .isEqualTo(SyntheticConfig.DEFAULT_FACTORS);
    }

    @Test
    void aUsersLaterPositivesArePredictableFromTheirEarlierPositives() {
        // Predict each user's later liked items' main genre by the most frequent main genre among their earlier likes.
        // With real taste structure this beats always guessing the globally most liked genre by a wide margin.
        EventLog e = data.events();
        Map<Integer, List<Integer>> positives = new HashMap<>();
        int[] globalGenre = new int[SyntheticConfig.GENRES.size()];
        for (int i = 0; i < e.size(); i++) {
            if (e.rating(i) >= 4) {
                int g = mainGenre(e.itemId(i));
                positives
                        .computeIfAbsent(e.userId(i), k -> new java.util.ArrayList<>())
                        .add(g);
                globalGenre[g]++;
            }
        }
        int globalTop = 0;
        for (int g = 0; g < globalGenre.length; g++) if (globalGenre[g] > globalGenre[globalTop]) globalTop = g;
        long hits = 0, baselineHits = 0, total = 0;
        for (List<Integer> genres : positives.values()) {
            if (genres.size() < 10) continue;
            int half = genres.size() / 2;
            int[] count = new int[SyntheticConfig.GENRES.size()];
            for (int g : genres.subList(0, half)) count[g]++;
            int guess = 0;
            for (int g = 0; g < count.length; g++) if (count[g] > count[guess]) guess = g;
            for (int g : genres.subList(half, genres.size())) {
                total++;
                if (g == guess) hits++;
                if (g == globalTop) baselineHits++;
            }
        }
        double accuracy = (double) hits / total;
        double baseline = (double) baselineHits / total;
        assertThat(accuracy).isGreaterThan(0.45).isGreaterThan(baseline * 1.8);
    }

    @Test
    void likedGenresGetHigherRatingsThanOthers() {
        // Users rate items of their own most-liked genre higher than items outside their top genres.
        EventLog e = data.events();
        Map<Integer, int[]> genreCounts = new HashMap<>();
        for (int i = 0; i < e.size(); i++) {
            genreCounts
                    .computeIfAbsent(e.userId(i), k -> new int[SyntheticConfig.GENRES.size()])[
                    mainGenre(e.itemId(i))]++;
        }
        double inSum = 0, outSum = 0;
        long in = 0, out = 0;
        for (int i = 0; i < e.size(); i++) {
            int[] c = genreCounts.get(e.userId(i));
            int top = 0;
            for (int g = 0; g < c.length; g++) if (c[g] > c[top]) top = g;
            int g = mainGenre(e.itemId(i));
            if (g == top) {
                inSum += e.rating(i);
                in++;
            } else if (c[g] * 10 < c[top]) {
                outSum += e.rating(i);
                out++;
            }
        }
        assertThat(in).isGreaterThan(1000);
        assertThat(out).isGreaterThan(1000);
        assertThat(inSum / in - outSum / out).isGreaterThan(1.0);
    }

    @Test
    void eventsComeInSessionBurstsSeparatedByLongGaps() {
        EventLog e = data.events();
        Map<Integer, Long> last = new HashMap<>();
        long shortGaps = 0, longGaps = 0, gaps = 0;
        for (int i = 0; i < e.size(); i++) {
            Long prev = last.put(e.userId(i), e.timestamp(i));
            if (prev == null) continue;
            long gap = e.timestamp(i) - prev;
            gaps++;
            if (gap <= 10 * 60_000L) shortGaps++;
            if (gap >= 3_600_000L) longGaps++;
        }
        assertThat((double) shortGaps / gaps).as("within-session gaps").isGreaterThan(0.6);
        assertThat((double) longGaps / gaps).as("between-session gaps").isGreaterThan(0.1);
    }

    @Test
    void oneMillionEventsOnMl1mShapeIsFast() {
        long t0 = System.nanoTime();
        SyntheticGenerator.SyntheticData big = SyntheticGenerator.generate(SyntheticConfig.defaults());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(big.events().size()).isEqualTo(1_000_000);
        assertThat(big.movies()).hasSize(3706);
        // "A few seconds" with headroom for a busy 2-core CI machine; ~0.5 s on an idle one.
        assertThat(seconds).isLessThan(10);
    }

    private static int mainGenre(int itemId) {
        return SyntheticConfig.GENRES.indexOf(
                data.movies().get(itemId - 1).genres.get(0));
    }
}
