package io.streamrec.kafka;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's fatal-fault handlers call {@link Exit#halt}/{@link Exit#exit}, which would kill the whole JVM (the
 * Flink job or the test runner with it). While at least one embedded broker runs, those calls are logged instead.
 */
final class BrokerExitGuard {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private BrokerExitGuard() {}

    private static final AtomicInteger RUNNING = new AtomicInteger();

    static synchronized void acquire() {
        if (RUNNING.getAndIncrement() == 0) {
            Exit.setHaltProcedure((code, message) -> LOG.error(
                    "The embedded Kafka broker requested a JVM halt (status {}): {}. The JVM is kept alive; "
                            + "the broker may no longer work.",
                    code,
                    message));
            Exit.setExitProcedure((code, message) -> LOG.error(
                    "The embedded Kafka broker requested a JVM exit (status {}): {}. The JVM is kept alive; "
                            + "the broker may no longer work.",
                    code,
                    message));
        }
    }

    static synchronized void release() {
        if (RUNNING.get() > 0 && RUNNING.decrementAndGet() == 0) {
            Exit.resetHaltProcedure();
            Exit.resetExitProcedure();
        }
    }
}
