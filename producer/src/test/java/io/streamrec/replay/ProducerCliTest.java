package io.streamrec.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerCliTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private ProducerCli.Result run(String... args) {
        return ProducerCli.execute(
                args,
                new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEveryOption() {
        assertThat(run("--help").exitCode()).isZero();
        assertThat(out())
                .contains(
                        "--bootstrap-servers",
                        "localhost:9092",
                        "--topic",
                        "--ratings PATH",
                        "--synthetic",
                        "--users",
                        "--items",
                        "--events",
                        "--seed",
                        "--speed",
                        "--max-rate",
                        "--limit",
                        "--start-time",
                        "--skip",
                        "--producer-config",
                        "--dry-run",
                        "--help");
        assertThat(err()).isEmpty();
    }

    @Test
    void usageErrorsExitWith2AndSayWhy() {
        assertThat(run("--bogus").exitCode()).isEqualTo(2);
        assertThat(err()).contains("unknown option --bogus");
        assertThat(run().exitCode()).isEqualTo(2);
        assertThat(err()).contains("one of --ratings PATH or --synthetic is required");
        assertThat(run("--synthetic", "--ratings", "x").exitCode()).isEqualTo(2);
        assertThat(run("--synthetic", "--speed", "-1").exitCode()).isEqualTo(2);
        assertThat(err()).contains("--speed must be a positive number");
        assertThat(run("--synthetic", "--limit").exitCode()).isEqualTo(2);
        assertThat(err()).contains("--limit needs a value");
        assertThat(run("--synthetic", "--events", "ten").exitCode()).isEqualTo(2);
        assertThat(run("--ratings", "x", "--users", "5").exitCode()).isEqualTo(2);
        assertThat(run("--synthetic", "--start-time", "soon").exitCode()).isEqualTo(2);
        assertThat(run("--synthetic", "--users", "2", "--items", "2", "--events", "5")
                        .exitCode())
                .isEqualTo(2);
        assertThat(err()).contains("never rates the same item twice");
    }

    @Test
    void missingFileUnknownFormatAndMissingProducerConfigExitWith2() {
        assertThat(run("--ratings", dir.resolve("missing.csv").toString()).exitCode())
                .isEqualTo(2);
        assertThat(err()).contains("no such file").contains("missing.csv");
        Path junk = dir.resolve("junk");
        assertThat(run("--ratings", junk.toString() + "/").exitCode()).isEqualTo(2);
        assertThat(run("--ratings", dir.toString()).exitCode()).isEqualTo(2);
        assertThat(err()).contains("no ratings file");
        assertThat(run(
                                "--synthetic",
                                "--events",
                                "10",
                                "--producer-config",
                                dir.resolve("none.properties").toString())
                        .exitCode())
                .isEqualTo(2);
        assertThat(err()).contains("producer config file not found");
    }

    @Test
    void unknownFormatExitsWith2() throws Exception {
        Path f = writeUtf8(dir, "notes.txt", "hello");
        assertThat(run("--ratings", f.toString()).exitCode()).isEqualTo(2);
        assertThat(err()).contains("unknown format");
    }

    @Test
    void dryRunReadsReportsMalformedAndSelects() throws Exception {
        Path f = writeUtf8(dir, "u.data", "1\t1\t5\t300", "2\t2\t4\t100", "broken", "3\t3\t3\t200");
        ProducerCli.Result r = run("--ratings", f.toString(), "--dry-run", "--start-time", "150");
        assertThat(r.exitCode()).isZero();
        assertThat(r.parseReport().malformed()).isEqualTo(1);
        assertThat(out())
                .contains("u.data: 4 lines, 3 ok, 1 malformed")
                .contains("selected: 2 of 3 events (event time 1970-01-01T00:03:20Z .. 1970-01-01T00:05:00Z)")
                .contains("dry run");
        assertThat(err()).contains("malformed: u.data:3: expected 4 fields");
    }

    @Test
    void syntheticDryRunWithInlineValues() {
        ProducerCli.Result r =
                run("--synthetic", "--users=50", "--items=80", "--events=1000", "--seed=3", "--limit=10", "--dry-run");
        assertThat(r.exitCode()).isZero();
        assertThat(out())
                .contains("source: synthetic, 50 users x 80 items, 1,000 events, seed 3")
                .contains("selected: 10 of 1,000 events");
    }

    private static Path writeUtf8(Path dir, String name, String... lines) throws IOException {
        return java.nio.file.Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }
}
