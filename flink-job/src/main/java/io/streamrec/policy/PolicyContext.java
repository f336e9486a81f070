package io.streamrec.policy;

import io.streamrec.catalog.ItemCatalog;
import java.io.Serializable;

/** What a policy is built from: the candidate items and the policies' settings (hyper-parameters, seed, threshold). */
public record PolicyContext(ItemCatalog catalog, PolicySettings settings) implements Serializable {
    public double positiveThreshold() {
        return settings.positiveThreshold();
    }

    public long seed() {
        return settings.seed();
    }
}
