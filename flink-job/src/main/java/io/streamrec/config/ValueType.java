package io.streamrec.config;

import java.io.Serializable;
import java.util.List;

/** How a value is checked. */
public interface ValueType extends Serializable {
    void check(String v);

    ValueType STRING = v -> {};
    ValueType BOOLEAN = v -> {
        if (!v.equals("true") && !v.equals("false")) throw new IllegalArgumentException("true or false");
    };
    ValueType LONG = Long::parseLong;
    ValueType DOUBLE = v -> {
        if (!Double.isFinite(Double.parseDouble(v))) throw new IllegalArgumentException("not finite");
    };
    ValueType FRACTION = v -> {
        double d = Double.parseDouble(v);
        if (!(d > 0 && d <= 1)) throw new IllegalArgumentException("must be in (0, 1]");
    };
    ValueType POSITIVE_INT = v -> {
        if (Integer.parseInt(v) <= 0) throw new IllegalArgumentException("must be > 0");
    };
    ValueType NON_NEGATIVE_INT = v -> {
        if (Integer.parseInt(v) < 0) throw new IllegalArgumentException("must be >= 0");
    };
    ValueType POSITIVE_LONG = v -> {
        if (Long.parseLong(v) <= 0) throw new IllegalArgumentException("must be > 0");
    };
    ValueType NON_NEGATIVE_LONG = v -> {
        if (Long.parseLong(v) < 0) throw new IllegalArgumentException("must be >= 0");
    };

    static ValueType oneOf(String... allowed) {
        return new OneOf(List.of(allowed));
    }

    /** One of a fixed list of values (which the documentation lists). */
    record OneOf(List<String> allowed) implements ValueType {
        @Override
        public void check(String v) {
            if (!allowed.contains(v)) throw new IllegalArgumentException("one of " + allowed);
        }
    }
}
