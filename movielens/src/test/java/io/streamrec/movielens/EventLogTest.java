package io.streamrec.movielens;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.schema.RatingEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventLogTest {

    @Test
    void sortIsByTimestampAndStableForTies() {
        EventLog log = new EventLog(2);
        log.add(1, 10, 4f, 3000);
        log.add(2, 20, 3f, 1000);
        log.add(3, 30, 5f, 3000);
        log.add(4, 40, 1f, 1000);
        log.add(5, 50, 2f, 2000);
        log.add(6, 60, 2f, 1000);
        log.sortByTime();
        assertThat(log.asList()).extracting(e -> e.userId).containsExactly(2, 4, 6, 5, 1, 3);
        assertThat(log.get(0)).isEqualTo(new RatingEvent(2, 20, 3f, 1000));
        assertThat(log.get(5)).isEqualTo(new RatingEvent(3, 30, 5f, 3000));
    }

    @Test
    void bothSortStrategiesMatchAStableReferenceSortOnManyTies() {
        SplittableRandom rnd = new SplittableRandom(7);
        int n = 50_000;
        long[] seconds = new long[n];
        long[] millis = new long[n];
        for (int i = 0; i < n; i++) {
            seconds[i] = (800_000_000L + rnd.nextInt(500)) * 1000; // whole seconds: the packed path
            millis[i] = rnd.nextLong(0, 1L << 58); // too wide to pack: the radix path
            if (i % 3 == 0) millis[i] = millis[i / 2]; // and ties there too
        }
        for (long[] ts : new long[][] {seconds, millis}) {
            EventLog log = new EventLog();
            for (int i = 0; i < n; i++) log.add(i + 1, 1, 1f, ts[i]);
            List<long[]> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) expected.add(new long[] {ts[i], i + 1});
            expected.sort(Comparator.comparingLong(a -> a[0])); // List.sort is stable
            log.sortByTime();
            for (int i = 0; i < n; i++) {
                assertThat(log.timestamp(i)).isEqualTo(expected.get(i)[0]);
                assertThat(log.userId(i)).as("position %d", i).isEqualTo((int) expected.get(i)[1]);
            }
        }
    }

    @Test
    void radixPathIsActuallyExercisedAndAgreesWithPackedPath() {
        long[] ts = {5000, 1000, 5000, 3000, 1000};
        int[] packed = StableTimeSort.packedOrder(ts, ts.length, 1000, 1000, 3);
        int[] radix = StableTimeSort.radixOrder(ts, ts.length, 1000, 13);
        assertThat(packed).containsExactly(1, 4, 3, 0, 2);
        assertThat(radix).containsExactly(1, 4, 3, 0, 2);
    }

    @Test
    void firstIndexAtOrAfterFindsTheStartPoint() {
        EventLog log = new EventLog();
        for (long t : new long[] {10, 20, 20, 30}) log.add(1, 1, 1f, t);
        assertThat(log.firstIndexAtOrAfter(5)).isZero();
        assertThat(log.firstIndexAtOrAfter(20)).isEqualTo(1);
        assertThat(log.firstIndexAtOrAfter(21)).isEqualTo(3);
        assertThat(log.firstIndexAtOrAfter(31)).isEqualTo(4);
    }
}
