package io.streamrec.testutil;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Captures everything logged in this JVM while open: adds an appender on the root logger and lowers the root level
 * to INFO (the tests' default is WARN), restoring both on close.
 */
public final class LogCapture implements AutoCloseable {
    private final LoggerContext context;
    private final WriterAppender appender;
    private final StringWriter target;
    private final Level before;

    private LogCapture(LoggerContext context, WriterAppender appender, StringWriter target, Level before) {
        this.context = context;
        this.appender = appender;
        this.target = target;
        this.before = before;
    }

    public static LogCapture start() {
        StringWriter target = new StringWriter();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration cfg = context.getConfiguration();
        WriterAppender appender = WriterAppender.newBuilder()
                .setName("capture-" + System.nanoTime())
                .setTarget(target)
                .setLayout(PatternLayout.newBuilder().withPattern("%c %m%n").build())
                .build();
        appender.start();
        cfg.addAppender(appender);
        Level before = cfg.getRootLogger().getLevel();
        cfg.getRootLogger().addAppender(appender, Level.ALL, null);
        cfg.getRootLogger().setLevel(Level.INFO);
        context.updateLoggers();
        return new LogCapture(context, appender, target, before);
    }

    /** Everything logged so far, one {@code logger message} line per event. */
    public String text() {
        StringBuffer buffer = target.getBuffer(); // StringWriter's buffer is synchronized
        synchronized (buffer) {
            return buffer.toString();
        }
    }

    @Override
    public void close() {
        Configuration cfg = context.getConfiguration();
        cfg.getRootLogger().removeAppender(appender.getName());
        cfg.getRootLogger().setLevel(before);
        context.updateLoggers();
        appender.stop();
    }
}
