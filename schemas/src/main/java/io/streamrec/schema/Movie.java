package io.streamrec.schema;

import java.util.List;
import java.util.Objects;

/** Catalogue metadata of one item, read from {@code u.item}, {@code movies.dat} or {@code movies.csv}. */
public class Movie implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public int itemId;
    public String title;
    public List<String> genres;

    public Movie() {}

    public Movie(int itemId, String title, List<String> genres) {
        this.itemId = itemId;
        this.title = title;
        this.genres = List.copyOf(genres);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Movie m)) return false;
        return itemId == m.itemId && Objects.equals(title, m.title) && Objects.equals(genres, m.genres);
    }

    @Override
    public int hashCode() {
        return Objects.hash(itemId, title, genres);
    }

    @Override
    public String toString() {
        return "Movie{" + itemId + ", " + title + ", " + genres + '}';
    }
}
