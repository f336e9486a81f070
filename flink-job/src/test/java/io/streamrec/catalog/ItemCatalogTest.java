package io.streamrec.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.schema.Movie;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ItemCatalogTest {
    private static ItemCatalog withIds(int... ids) {
        List<Movie> movies = new ArrayList<>();
        for (int id : ids) {
            Movie m = new Movie();
            m.itemId = id;
            m.title = "m" + id;
            movies.add(m);
        }
        return ItemCatalog.of(movies);
    }

    @Test
    void indexOfIsTheSortedPositionForDenseAndSparseIdsAndMinusOneOtherwise() {
        for (ItemCatalog c : List.of(withIds(7, 3, 5, 4), withIds(3, 4, 5, 7_000_000), withIds(-2, 3, 4, 5))) {
            int[] ids = new int[c.size()];
            for (int i = 0; i < ids.length; i++) ids[i] = c.itemIdAt(i);
            for (int i = 0; i < ids.length; i++) assertThat(c.indexOf(ids[i])).isEqualTo(i);
            for (int absent : new int[] {0, 1, 2, 6, 8, 1_000, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
                if (java.util.Arrays.stream(ids).noneMatch(x -> x == absent))
                    assertThat(c.indexOf(absent)).as("id %d", absent).isEqualTo(-1);
            }
        }
        assertThat(withIds(7, 3, 5, 4).indexOf(5)).isEqualTo(2);
    }
}
