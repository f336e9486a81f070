package io.streamrec.replay;

import io.streamrec.movielens.EventLog;
import io.streamrec.movielens.MovieLensFormatException;
import io.streamrec.movielens.ParseReport;
import io.streamrec.movielens.RatingsReader;
import io.streamrec.movielens.SyntheticConfig;
import io.streamrec.movielens.SyntheticGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;

/**
 * Command-line entry point (the shaded jar's Main-Class): replays MovieLens or synthetic ratings onto Kafka.
 * {@link #run} / {@link #execute} do the same in-process, returning instead of exiting.
 */
public final class ProducerCli {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_INTERRUPTED = 130;

    /** What a run did: exit code, the replay summary (null when nothing was sent: usage error, dry run) and the parse report (null for synthetic data). */
    public record Result(int exitCode, ReplaySummary summary, ParseReport parseReport) {}

    private ProducerCli() {}

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            // Our own name, not log4j2.xml, so this jar never overrides the logging of an application embedding it.
            System.setProperty("log4j2.configurationFile", "streamrec-producer-log4j2.xml");
        }
        // On SIGTERM (docker stop) interrupt the replay so it flushes what it sent and prints its summary.
        Thread mainThread = Thread.currentThread();
        AtomicBoolean finished = new AtomicBoolean();
        AtomicBoolean shuttingDown = new AtomicBoolean();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            shuttingDown.set(true);
                            if (!finished.get()) {
                                mainThread.interrupt();
                                try {
                                    mainThread.join(40_000);
                                } catch (InterruptedException ignored) {
                                    Thread.currentThread().interrupt();
                                }
                            }
                        },
                        "producer-shutdown"));
        int code = run(args, System.out, System.err);
        finished.set(true);
        // System.exit during a shutdown would block forever; the JVM is exiting anyway.
        if (!shuttingDown.get()) {
            System.exit(code);
        }
    }

    /** Runs the CLI in-process; returns the exit code {@link #main} would exit with. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return execute(args, out, err).exitCode();
    }

    /** Runs the CLI in-process. Interrupting the calling thread stops a replay cleanly (exit code 130). */
    public static Result execute(String[] args, PrintStream out, PrintStream err) {
        CliOptions o;
        ReplayOptions replay;
        try {
            o = CliOptions.parse(args);
            if (o.help) {
                out.println(CliOptions.USAGE);
                return new Result(EXIT_OK, null, null);
            }
            replay = o.replayOptions();
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println("run with --help for the options");
            return new Result(EXIT_USAGE, null, null);
        }

        EventLog events;
        ParseReport report = null;
        long t0 = System.nanoTime();
        try {
            if (o.synthetic) {
                SyntheticConfig config = o.syntheticConfig();
                events = SyntheticGenerator.generate(config).events();
                out.printf(
                        Locale.ROOT,
                        "source: synthetic, %,d users x %,d items, %,d events, seed %d (generated in %.1f s)%n",
                        config.users(),
                        config.items(),
                        events.size(),
                        config.seed(),
                        seconds(t0));
            } else {
                RatingsReader.LoadedRatings loaded = RatingsReader.load(o.ratings);
                report = loaded.report();
                events = loaded.events().sortByTime();
                out.printf(
                        Locale.ROOT,
                        "source: %s as %s: %s (read and sorted in %.1f s)%n",
                        loaded.file(),
                        loaded.format(),
                        report.summary(),
                        seconds(t0));
                for (String n : report.notes()) err.println("warning: " + n);
                for (String m : report.messages()) err.println("malformed: " + m);
                if (report.malformed() > report.messages().size()) {
                    err.printf(
                            Locale.ROOT,
                            "malformed: ... and %,d more%n",
                            report.malformed() - report.messages().size());
                }
            }
        } catch (NoSuchFileException e) {
            err.println("error: no such file: " + e.getFile());
            return new Result(EXIT_USAGE, null, null);
        } catch (MovieLensFormatException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return new Result(EXIT_USAGE, null, report);
        } catch (IOException e) {
            err.println("error: cannot read " + o.ratings + ": " + e);
            return new Result(EXIT_FAILURE, null, report);
        }
        long malformed = report == null ? 0 : report.malformed();
        long[] range = replay.range(events);
        out.printf(
                Locale.ROOT,
                "selected: %,d of %,d events%s%n",
                range[1] - range[0],
                events.size(),
                span(events, range));
        if (o.dryRun) {
            out.println("dry run: nothing sent");
            return new Result(EXIT_OK, null, report);
        }

        Properties kafka;
        List<String> notes = new ArrayList<>();
        try {
            Properties user = o.producerConfig == null ? new Properties() : ProducerSettings.load(o.producerConfig);
            kafka = ProducerSettings.build(o.bootstrapServers, user, notes);
        } catch (NoSuchFileException e) {
            err.println("error: producer config file not found: " + e.getFile());
            return new Result(EXIT_USAGE, null, report);
        } catch (IOException | IllegalArgumentException e) {
            err.println("error: cannot read producer config " + o.producerConfig + ": " + e.getMessage());
            return new Result(EXIT_USAGE, null, report);
        }
        for (String n : notes) err.println("warning: " + n);
        out.println("kafka: topic " + replay.topic() + ", " + String.join(", ", ProducerSettings.describe(kafka)));

        ReplaySummary summary;
        try (ReplayProducer producer = ReplayProducer.create(kafka, replay, out)) {
            summary = producer.replay(events, malformed);
        } catch (ConfigException e) {
            err.println("error: invalid Kafka producer configuration: " + e.getMessage());
            return new Result(EXIT_USAGE, null, report);
        } catch (KafkaException e) {
            err.println("error: Kafka producer failed: " + e.getMessage());
            return new Result(EXIT_FAILURE, null, report);
        }
        out.println("summary: " + summary.line());
        if (summary.firstError() != null) {
            err.println("error: send failed: " + summary.firstError());
            return new Result(EXIT_FAILURE, summary, report);
        }
        if (summary.interrupted()) {
            return new Result(EXIT_INTERRUPTED, summary, report);
        }
        return new Result(EXIT_OK, summary, report);
    }

    private static String span(EventLog events, long[] range) {
        if (range[1] <= range[0]) return "";
        return " (event time " + date(events.timestamp((int) range[0])) + " .. "
                + date(events.timestamp((int) range[1] - 1)) + ")";
    }

    private static String date(long millis) {
        return Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
