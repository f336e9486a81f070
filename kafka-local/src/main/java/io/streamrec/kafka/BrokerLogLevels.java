package io.streamrec.kafka;

import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the in-process broker's loggers down to WARN (or {@value #LEVEL_PROPERTY}) when Log4j 2 is the logging
 * backend, without overriding anything the application's own Log4j configuration sets explicitly.
 */
final class BrokerLogLevels {

    /** System property: level for the broker's loggers (default {@code WARN}); {@code OFF} to silence, {@code INFO} to debug. */
    static final String LEVEL_PROPERTY = "streamrec.kafka.log.level";

    /** Logger prefixes used by the broker and controller code (not by the Kafka clients, which stay untouched). */
    static final List<String> BROKER_LOGGERS = List.of(
            "kafka", // the Scala core: kafka.server, kafka.log, kafka.network, kafka.coordinator, ...
            "state.change.logger",
            "org.apache.kafka.server",
            "org.apache.kafka.controller",
            "org.apache.kafka.raft",
            "org.apache.kafka.metadata",
            "org.apache.kafka.image",
            "org.apache.kafka.snapshot",
            "org.apache.kafka.queue",
            "org.apache.kafka.storage",
            "org.apache.kafka.coordinator",
            "org.apache.kafka.network",
            "org.apache.kafka.security",
            "org.apache.kafka.common.network",
            // Shared with clients, but only informational: per-client "Kafka version/commitId" lines.
            "org.apache.kafka.common.utils.AppInfoParser");

    private static final Logger LOG = LoggerFactory.getLogger(BrokerLogLevels.class);
    private static Boolean log4jCorePresent;

    private BrokerLogLevels() {}

    /**
     * Applies the levels to the current Log4j context (again if the context was replaced, e.g. by Log4j's own
     * shutdown hook, which would otherwise let the broker's shutdown log at INFO); a no-op without log4j-core.
     */
    static synchronized void quietBrokerLoggers() {
        if (log4jCorePresent == null) {
            try {
                Class.forName(
                        "org.apache.logging.log4j.core.LoggerContext", false, BrokerLogLevels.class.getClassLoader());
                log4jCorePresent = true;
            } catch (ClassNotFoundException | LinkageError e) {
                log4jCorePresent = false;
            }
        }
        if (!log4jCorePresent) {
            return;
        }
        try {
            Log4jCore.apply(System.getProperty(LEVEL_PROPERTY, "WARN"));
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Could not adjust the embedded broker's log levels", e);
        }
    }

    /** Kept separate so that log4j-core classes are only loaded when present. */
    private static final class Log4jCore {
        private static java.lang.ref.WeakReference<Object> lastConfiguration = new java.lang.ref.WeakReference<>(null);

        static void apply(String levelName) {
            if (!(LogManager.getContext(false) instanceof LoggerContext ctx)) {
                return;
            }
            Configuration config = ctx.getConfiguration();
            if (lastConfiguration.get() == config) {
                return; // already applied to this configuration
            }
            Level level = Level.toLevel(levelName, Level.WARN);
            LoggerConfig root = config.getRootLogger();
            for (String name : BROKER_LOGGERS) {
                // Only loggers that inherit straight from the root: anything (or any parent) configured explicitly
                // wins.
                LoggerConfig effective = config.getLoggerConfig(name);
                if (effective == root || effective.getName().isEmpty()) {
                    Configurator.setLevel(name, level);
                }
            }
            lastConfiguration = new java.lang.ref.WeakReference<>(ctx.getConfiguration());
        }
    }
}
