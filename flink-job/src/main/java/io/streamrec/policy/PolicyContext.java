package io.streamrec.policy;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.config.StreamrecConfig.ConfigKey;
import java.io.Serializable;

/** What a policy is built from: the candidate items and the configuration (its hyper-parameters, seed, threshold). */
public record PolicyContext(ItemCatalog catalog, StreamrecConfig config) implements Serializable {
    public double positiveThreshold() {
        return config.getDouble(ConfigKey.POSITIVE_THRESHOLD);
    }

    public long seed() {
        return config.getLong(ConfigKey.POLICY_SEED);
    }
}
