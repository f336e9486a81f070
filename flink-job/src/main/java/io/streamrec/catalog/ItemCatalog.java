package io.streamrec.catalog;

import io.streamrec.schema.Movie;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The candidate items, each with a dense index (its embedding row) and optional title and genres.
 * Built from MovieLens metadata, or as ids 1..n when none is given. Immutable and serialisable, so every
 * operator instance gets the same index assignment.
 */
public final class ItemCatalog implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int[] itemIds; // sorted ascending; index = dense row
    private final String[] titles; // null entries when unknown
    private final String[][] genres; // null entries when unknown
    private transient volatile List<String>[] genreLists;
    private transient volatile int[]
            indexById; // see buildIndexTable // genresAt's immutable lists, built once, not per slate item

    private ItemCatalog(int[] itemIds, String[] titles, String[][] genres) {
        this.itemIds = itemIds;
        this.titles = titles;
        this.genres = genres;
    }

    /** Items 1..n without metadata. */
    public static ItemCatalog range(int n) {
        if (n < 1) throw new IllegalArgumentException("catalogue needs at least one item, got " + n);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = i + 1;
        return new ItemCatalog(ids, new String[n], new String[n][]);
    }

    /** The items of a metadata file; duplicate ids keep the first occurrence. */
    public static ItemCatalog of(Collection<Movie> movies) {
        Movie[] sorted = movies.stream()
                .sorted((a, b) -> Integer.compare(a.itemId, b.itemId))
                .toArray(Movie[]::new);
        int n = 0;
        int[] ids = new int[sorted.length];
        String[] titles = new String[sorted.length];
        String[][] genres = new String[sorted.length][];
        for (Movie m : sorted) {
            if (n > 0 && ids[n - 1] == m.itemId) continue;
            ids[n] = m.itemId;
            titles[n] = m.title;
            genres[n] = m.genres == null ? null : m.genres.toArray(String[]::new);
            n++;
        }
        if (n == 0) throw new IllegalArgumentException("catalogue metadata holds no items");
        return new ItemCatalog(Arrays.copyOf(ids, n), Arrays.copyOf(titles, n), Arrays.copyOf(genres, n));
    }

    public int size() {
        return itemIds.length;
    }

    /** Dense index of an item id, or -1 when the item is not in the catalogue. */
    public int indexOf(int itemId) {
        int[] table = indexById;
        if (table == null) table = buildIndexTable();
        if (table.length > 0) return itemId >= 0 && itemId < table.length ? table[itemId] : -1;
        int i = Arrays.binarySearch(itemIds, itemId);
        return i >= 0 ? i : -1;
    }

    /**
     * id → index as a direct table when ids are small and dense enough (MovieLens: ids below ~4k for ~3.7k items), so
     * indexOf is one load: the baselines call it for every rated item of every request. Empty (binary search
     * instead) for sparse or negative ids. Racy lazy initialisation is harmless: every thread builds the same table.
     */
    private int[] buildIndexTable() {
        int min = itemIds[0], max = itemIds[itemIds.length - 1];
        int[] table = new int[0];
        if (min >= 0 && max < 4L * itemIds.length + 1024) {
            table = new int[max + 1];
            Arrays.fill(table, -1);
            for (int i = 0; i < itemIds.length; i++) table[itemIds[i]] = i;
        }
        indexById = table;
        return table;
    }

    public int itemIdAt(int index) {
        return itemIds[index];
    }

    public String titleAt(int index) {
        return titles[index];
    }

    public List<String> genresAt(int index) {
        List<String>[] lists = genreLists;
        if (lists == null) {
            @SuppressWarnings("unchecked")
            List<String>[] built = new List[genres.length];
            for (int i = 0; i < genres.length; i++) built[i] = genres[i] == null ? null : List.of(genres[i]);
            genreLists = lists = built; // a race only builds equal lists twice; volatile publishes them whole
        }
        return lists[index];
    }

    public boolean hasMetadata() {
        for (String t : titles) if (t != null) return true;
        return false;
    }
}
