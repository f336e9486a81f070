package io.streamrec.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One ranked entry of a {@link Recommendation} slate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RecommendedItem implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public int itemId;
    public float score;
    /** Present when catalogue metadata is loaded. */
    public String title;

    public List<String> genres;
    /** True when exploration, not the policy's ranking, placed this item. */
    public boolean explored;

    public RecommendedItem() {}

    public RecommendedItem(int itemId, float score, String title, List<String> genres) {
        this.itemId = itemId;
        this.score = score;
        this.title = title;
        this.genres = genres;
    }

    @Override
    public String toString() {
        return itemId + (title == null ? "" : " " + title) + " (" + score + ")";
    }
}
