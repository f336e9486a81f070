package io.streamrec.job;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.ConfigKey;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.movielens.MovieReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Builds the candidate-item catalogue from the configured MovieLens metadata file, or ids 1..n. */
public final class CatalogLoader {
    private CatalogLoader() {}

    public static ItemCatalog load(StreamrecConfig config) {
        if (config.has(ConfigKey.CATALOG_METADATA)) {
            Path file = Path.of(config.get(ConfigKey.CATALOG_METADATA));
            try {
                return ItemCatalog.of(MovieReader.read(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read catalogue metadata " + file + ": " + e.getMessage(), e);
            }
        }
        int n = config.getInt(ConfigKey.CATALOG_ITEMS);
        if (n > 0) return ItemCatalog.range(n);
        throw new IllegalArgumentException("no candidate items: set " + ConfigKey.CATALOG_METADATA.key
                + " (u.item, movies.dat or movies.csv) or " + ConfigKey.CATALOG_ITEMS.key + " (ids 1..n)");
    }
}
