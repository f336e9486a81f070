package io.streamrec.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PositiveHistoryWindowTest {

    @Test
    void keepsTheLastNPositivesOldestFirst() {
        int[] w = PositiveHistoryWindow.EMPTY;
        for (int item = 1; item <= 7; item++) w = PositiveHistoryWindow.append(w, item, 5);
        assertThat(w).containsExactly(3, 4, 5, 6, 7);
    }

    @Test
    void shortWindowGrowsUntilCapacity() {
        int[] w = PositiveHistoryWindow.append(null, 10, 5);
        w = PositiveHistoryWindow.append(w, 20, 5);
        assertThat(w).containsExactly(10, 20);
    }

    @Test
    void reRatedItemMovesToNewestWithoutDuplicate() {
        int[] w = {1, 2, 3, 4, 5};
        assertThat(PositiveHistoryWindow.append(w, 2, 5)).containsExactly(1, 3, 4, 5, 2);
        assertThat(PositiveHistoryWindow.append(new int[] {7, 8}, 7, 5)).containsExactly(8, 7);
    }

    @Test
    void capacityOneKeepsOnlyTheNewest() {
        assertThat(PositiveHistoryWindow.append(new int[] {4}, 9, 1)).containsExactly(9);
    }

    @Test
    void removeDropsADislikedItemAndKeepsOrder() {
        assertThat(PositiveHistoryWindow.remove(new int[] {1, 2, 3}, 2)).containsExactly(1, 3);
        int[] w = {1, 2};
        assertThat(PositiveHistoryWindow.remove(w, 9)).isSameAs(w);
    }

    @Test
    void inputArrayIsNeverMutated() {
        int[] w = {1, 2, 3, 4, 5};
        PositiveHistoryWindow.append(w, 6, 5);
        PositiveHistoryWindow.remove(w, 3);
        assertThat(w).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void rejectsNonPositiveCapacity() {
        assertThatThrownBy(() -> PositiveHistoryWindow.append(null, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ratedItemSetStaysSortedAndDistinct() {
        int[] s = null;
        for (int item : new int[] {50, 3, 17, 3, 99, 1, 50}) s = RatedItemSet.add(s, item);
        assertThat(s).containsExactly(1, 3, 17, 50, 99);
        assertThat(RatedItemSet.contains(s, 17)).isTrue();
        assertThat(RatedItemSet.contains(s, 18)).isFalse();
        assertThat(RatedItemSet.add(s, 17)).isSameAs(s);
    }
}
