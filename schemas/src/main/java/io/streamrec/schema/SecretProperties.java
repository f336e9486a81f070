package io.streamrec.schema;

import java.util.List;
import java.util.Locale;

/**
 * Which Kafka client property names hold secrets (passwords, JAAS configs, tokens, keys): every process that prints
 * its configuration (the producer, the job, the run report) masks their values with the same rule.
 */
public final class SecretProperties {
    private static final List<String> MARKERS = List.of(
            "password",
            "secret",
            "jaas",
            "token",
            "credential",
            "ssl.keystore.key",
            "ssl.key.",
            "private",
            "basic.auth.user.info",
            "assertion");

    /** The mask printed instead of a secret value. */
    public static final String MASK = "******";

    private SecretProperties() {}

    /** Whether the value of property {@code name} is a secret. */
    public static boolean isSecret(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String marker : MARKERS) {
            if (n.contains(marker)) return true;
        }
        return false;
    }
}
