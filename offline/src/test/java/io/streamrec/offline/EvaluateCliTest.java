package io.streamrec.offline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamrec.schema.Json;
import io.streamrec.schema.TopicSchemas;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./streamrec evaluate}: all three protocols on the simulator, and the run report's files. */
class EvaluateCliTest {

    @Test
    void seedsGiveIntervalsAndDrrsPairedRatioOnALaterSlice() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = EvaluateCli.run(
                new String[] {
                    "--users",
                    "80",
                    "--items",
                    "150",
                    "--events",
                    "3000",
                    "--skip",
                    "1000",
                    "--seeds",
                    "3",
                    "--no-report",
                    "--policies",
                    "random,popularity,drr",
                    "--actor.embedding.dim",
                    "8",
                    "--actor.hidden.dim",
                    "16",
                    "--learner.critic.hidden.dim",
                    "16"
                },
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out)
                .contains("from event 1000", "actor.seed 42,", "actor.seed 44,", "prequential over 3 seeds")
                .contains("drr-greedy / popularity (ndcg@10, per seed): ", "drr / popularity (hit@10, per seed): ");
        // every policy's row of the summary has a mean and an interval; the slice holds 2,000 events
        assertThat(out).containsPattern("(?m)^popularity\\s+3\\s+\\d\\.\\d{4} ± \\d\\.\\d{4}");
        assertThat(out).containsPattern("(?m)^random\\s+2000\\s");
    }

    /** The closed-loop protocol from the command line: seeds, intervals, ratios, and the curves in the report folder. */
    @Test
    void closedLoopPrintsTheCohortTableWithIntervalsAndWritesItsCurves(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("loop");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = EvaluateCli.run(
                new String[] {
                    "--protocol",
                    "closed-loop",
                    "--users",
                    "40",
                    "--sessions",
                    "2",
                    "--items",
                    "300",
                    "--seeds",
                    "2",
                    "--cohorts",
                    "random,genreq,slateq,oracle-quality",
                    "--report.dir",
                    dir.toString()
                },
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).isZero();
        assertThat(out)
                .contains("40 users × 2 sessions per cohort, 20 candidates, slate 2, catalogue 300")
                .contains("closed loop over 2 seeds")
                .containsPattern("oracle-quality +\\d+\\.\\d ± \\d+\\.\\d")
                .contains("slateq return / genreq return: ")
                .contains("slateq return / random return: ");
        assertThat(Files.readAllLines(dir.resolve("closed-loop.csv")))
                .contains("cohort,session,metric,mean,half_width_95,seeds")
                .hasSize(1 + 4 * 2 * 3);
        BufferedImage png = ImageIO.read(dir.resolve("closed-loop-return.png").toFile());
        assertThat(png.getWidth()).isGreaterThan(500);
        assertThat(Files.readString(dir.resolve("closed-loop.html"))).contains("data:image/png;base64,");
    }

    @Test
    void runsEveryProtocolAndWritesAReadableReport(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("report");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = EvaluateCli.run(
                new String[] {
                    "--users",
                    "120",
                    "--items",
                    "300",
                    "--events",
                    "6000",
                    "--protocol",
                    "all",
                    "--report.dir",
                    dir.toString(),
                    "--eval.window.events",
                    "1000",
                    "--policies",
                    "random,popularity,itemknn,sr,vsknn,mf,linucb,genreq,drr",
                    "--actor.embedding.dim",
                    "8",
                    "--actor.hidden.dim",
                    "16",
                    "--learner.critic.hidden.dim",
                    "16",
                    "--offline.drr.steps",
                    "40"
                },
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out)
                .contains("prequential", "LEAKS FUTURE RATINGS", "leak-free", "trained offline: ")
                .doesNotContain("pending");
        for (String p : List.of("random", "popularity", "itemknn", "sr", "vsknn", "mf", "linucb", "genreq"))
            assertThat(out).contains(p);

        assertThat(dir.resolve("config.properties")).content().contains("policies=random,popularity");
        List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
        assertThat(csv.size()).isGreaterThan(7);
        int columns = csv.get(0).split(",", -1).length;
        assertThat(csv).allSatisfy(line -> assertThat(line.split(",", -1)).hasSize(columns));
        JsonNode json = Json.MAPPER.readTree(dir.resolve("metrics.json").toFile());
        assertThat(json.isArray()).isTrue();
        assertThat(json.size()).isEqualTo(csv.size() - 1);
        for (JsonNode m : json)
            assertThat(TopicSchemas.violations("metrics", Json.MAPPER.writeValueAsBytes(m)))
                    .isEmpty();
        // a header and the nine policies
        assertThat(Files.readAllLines(dir.resolve("offline-drr-protocol.csv"))).hasSize(10);
        assertThat(Files.readAllLines(dir.resolve("offline-temporal-split.csv")))
                .hasSize(10);

        String html = Files.readString(dir.resolve("index.html"));
        // one page: the plots are embedded, the offline protocols are tables
        assertThat(html).contains("<table>", "temporal-split", "drr-protocol", "smoothed", "cumulative");
        assertThat(html.split("src=\"data:image/png;base64,", -1)).hasSize(4);
        for (String png : List.of("plot-ndcg-10.png", "plot-hit-10.png", "plot-reward.png")) {
            BufferedImage img = ImageIO.read(dir.resolve(png).toFile());
            assertThat(img).as(png).isNotNull();
            assertThat(img.getWidth()).isEqualTo(1000);
            assertThat(img.getHeight()).isEqualTo(640);
            assertThat(Files.size(dir.resolve(png))).isGreaterThan(5_000);
            assertThat(html)
                    .contains(java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve(png))));
        }
    }
}
