package io.streamrec.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamrec.eval.MetricCurves;
import io.streamrec.schema.Json;
import io.streamrec.schema.PolicyMetrics;
import io.streamrec.schema.Recommendation;
import io.streamrec.schema.RecommendedItem;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard page, rendered by a real browser (headless Chromium, Debian's {@code chromium}; {@code .ci/run}
 * installs it): every policy's line is drawn in every evaluation chart (an SVG path in the policy's colour with one
 * segment per point), the latest slate's titles are on the page, and a dashboard without data says so and draws
 * no line.
 */
class DashboardBrowserTest {
    private static final List<String> POLICIES = List.of("random", "popularity", "itemknn", "drr");
    private static final List<String> CHARTS = List.of(
            "ndcg-smoothed",
            "ndcg-cumulative",
            "hit-smoothed",
            "hit-cumulative",
            "reward-smoothed",
            "reward-cumulative");

    @Test
    void aLineIsDrawnForEveryPolicyInEveryEvaluationChart(@TempDir Path tmp) throws Exception {
        String browser = chromium();
        DashboardState state = new DashboardState("browser test");
        Random random = new Random(11);
        for (int w = 1; w <= 60; w++) {
            for (int p = 0; p < POLICIES.size(); p++) {
                PolicyMetrics m = new PolicyMetrics();
                m.policy = POLICIES.get(p);
                m.scope = PolicyMetrics.SCOPE_EVENTS;
                m.k = 10;
                m.eventsSeen = w * 1000L;
                m.windowStart = 1_000_000_000_000L + (w - 1) * 3_600_000L;
                m.windowEnd = m.windowStart + 3_599_000L;
                m.count = 50 + random.nextInt(50);
                double level = 0.02 + 0.05 * p;
                m.values.put("ndcg@10", level + 0.01 * random.nextGaussian());
                m.values.put("hit@10", 2 * level + 0.01 * random.nextGaussian());
                m.values.put("reward", level / 2 + 0.01 * random.nextGaussian());
                state.addMetrics(m);
            }
        }
        Recommendation slate = new Recommendation();
        slate.userId = 42;
        slate.policy = "drr";
        slate.modelVersion = 7;
        slate.items.add(new RecommendedItem(1, 1f, "Toy Story (1995)", List.of("Animation")));
        slate.items.add(new RecommendedItem(2, 0.5f, "Heat & Dust <1983>", List.of("Drama")));
        state.addRecommendation(slate);
        Recommendation knn = new Recommendation();
        knn.userId = 43;
        knn.policy = "itemknn";
        knn.items.add(new RecommendedItem(3, 1f, "Fargo (1996)", List.of("Crime")));
        state.addPolicySlate(knn);

        String dom = render(browser, state, tmp);
        JsonNode drawn = drawn(dom);
        for (String chart : CHARTS) {
            String svg = chartSvg(dom, chart);
            for (String policy : POLICIES) {
                assertThat(drawn.path(chart).path(policy).asInt())
                        .as(chart + " / " + policy + " points")
                        .isGreaterThan(10);
                assertThat(longestLine(svg, MetricCurves.color(policy)))
                        .as(chart + ": a line in " + policy + "'s colour")
                        .isGreaterThan(10);
            }
        }
        assertThat(dom).contains("Toy Story (1995)").contains("Heat &amp; Dust &lt;1983&gt;");
        assertThat(dom)
                .contains("<td>itemknn</td>")
                .contains("Fargo (1996)")
                .doesNotContain("id=\"policy-slates-card\" style=\"margin-top:12px\" hidden");
        assertThat(dom).doesNotContain("No evaluation records");
        // the leaderboard ranks by cumulative NDCG: drr (the highest level here), then itemknn, popularity, random
        String board = dom.substring(
                dom.indexOf("id=\"leaderboard\""), dom.indexOf("</table>", dom.indexOf("id=\"leaderboard\"")));
        assertThat(board.indexOf("</span>drr</td>")).isPositive().isLessThan(board.indexOf("</span>itemknn</td>"));
        assertThat(board.indexOf("</span>itemknn</td>")).isLessThan(board.indexOf("</span>popularity</td>"));
        assertThat(board.indexOf("</span>popularity</td>")).isLessThan(board.indexOf("</span>random</td>"));
    }

    @Test
    void aDashboardWithoutDataSaysSoAndDrawsNoLine(@TempDir Path tmp) throws Exception {
        String dom = render(chromium(), new DashboardState("empty"), tmp);
        assertThat(dom).contains("No evaluation records on the metrics topic yet");
        assertThat(dom).containsPattern("id=\"policy-slates-card\"[^>]*hidden");
        for (String policy : POLICIES)
            assertThat(longestLine(chartSvg(dom, "ndcg-smoothed"), MetricCurves.color(policy)))
                    .isZero();
    }

    /** The page's DOM after its scripts ran against a live dashboard server. */
    private static String render(String browser, DashboardState state, Path tmp) throws Exception {
        try (DashboardServer server = DashboardServer.start(state, "localhost", 0)) {
            Path out = tmp.resolve("dom.html");
            Process p = new ProcessBuilder(
                            browser,
                            "--headless",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-dev-shm-usage",
                            "--user-data-dir=" + tmp.resolve("profile"),
                            "--window-size=1400,2200",
                            "--virtual-time-budget=4000",
                            "--dump-dom",
                            server.url())
                    .redirectOutput(out.toFile())
                    .redirectError(tmp.resolve("chromium.log").toFile())
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(
                        "chromium did not finish in 120 s: " + Files.readString(tmp.resolve("chromium.log")));
            }
            String dom = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(dom).as("chromium's DOM dump").contains("<svg");
            return dom;
        }
    }

    private static JsonNode drawn(String dom) throws Exception {
        Matcher m = Pattern.compile("data-drawn=\"([^\"]*)\"").matcher(dom);
        assertThat(m.find()).as("the page recorded what it drew").isTrue();
        return Json.MAPPER.readTree(m.group(1).replace("&quot;", "\"").replace("&amp;", "&"));
    }

    /** The markup of one chart's container. */
    private static String chartSvg(String dom, String id) {
        int start = dom.indexOf("id=\"" + id + "\"");
        assertThat(start).as("chart " + id).isGreaterThanOrEqualTo(0);
        int end = dom.indexOf("class=\"card", start);
        return dom.substring(start, end < 0 ? dom.length() : end);
    }

    /** The most segments of any path stroked in {@code color} (a drawn line has one per point after the first). */
    private static int longestLine(String svg, String color) {
        Matcher m = Pattern.compile("<path d=\"([^\"]*)\"[^>]*stroke=\"" + Pattern.quote(color) + "\"")
                .matcher(svg);
        int best = 0;
        while (m.find()) best = Math.max(best, m.group(1).split("L", -1).length - 1);
        return best;
    }

    /** Debian's chromium (or $CHROMIUM); the test is skipped, saying why, when there is none. */
    private static String chromium() {
        String configured = System.getenv("CHROMIUM");
        if (configured != null && new File(configured).canExecute()) return configured;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                File f = new File(dir, name);
                if (f.canExecute()) return f.getPath();
            }
        }
        assumeTrue(false, "no chromium on PATH (apt-get install chromium; .ci/run installs it)");
        return null;
    }
}
