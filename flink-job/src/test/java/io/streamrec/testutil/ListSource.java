package io.streamrec.testutil;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;

/** A bounded in-memory source for MiniCluster tests, emitting a list in order (parallelism 1 keeps the order). */
public final class ListSource {
    private ListSource() {}

    public static <T extends Serializable> DataGeneratorSource<T> of(List<T> elements, Class<T> type) {
        ArrayList<T> copy = new ArrayList<>(elements);
        return new DataGeneratorSource<>(i -> copy.get(i.intValue()), copy.size(), TypeInformation.of(type));
    }
}
