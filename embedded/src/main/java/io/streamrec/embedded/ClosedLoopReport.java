package io.streamrec.embedded;

import io.streamrec.closedloop.SessionSummary;
import io.streamrec.schema.Cohorts;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The closed loop over time, per cohort: for each user's n-th session, the cohort's mean return and satisfaction
 * (n = 1, 2, …), as two PNG plots and a CSV in the report directory.
 */
final class ClosedLoopReport {
    private ClosedLoopReport() {}

    /** Writes closed-loop.csv, closed-loop-return.png and closed-loop-satisfaction.png; returns the directory. */
    static Path write(List<SessionSummary> sessions, Cohorts cohorts, Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("cohort,session,users,return,ctr,satisfaction,session_length\n");
        XYSeriesCollection returns = new XYSeriesCollection();
        XYSeriesCollection satisfaction = new XYSeriesCollection();
        // cohort → the user's n-th session → those sessions, in one pass
        Map<String, Map<Integer, List<SessionSummary>>> byCohort = new HashMap<>();
        for (SessionSummary x : sessions)
            byCohort.computeIfAbsent(cohorts.of(x.userId()), c -> new HashMap<>())
                    .computeIfAbsent(x.session(), n -> new ArrayList<>())
                    .add(x);
        for (String policy : cohorts.policies()) {
            XYSeries r = new XYSeries(policy), s = new XYSeries(policy);
            Map<Integer, List<SessionSummary>> bySession = byCohort.getOrDefault(policy, Map.of());
            for (int n = 0; ; n++) {
                List<SessionSummary> at = bySession.getOrDefault(n, List.of());
                if (at.size() < 3) break; // fewer than three users got this far: too few to plot
                double ret = mean(at, SessionSummary::engagement), sat = mean(at, SessionSummary::satisfaction);
                r.add(n + 1, ret);
                s.add(n + 1, sat);
                csv.append(String.format(
                        Locale.ROOT,
                        "%s,%d,%d,%.3f,%.4f,%.4f,%.2f%n",
                        policy,
                        n + 1,
                        at.size(),
                        ret,
                        mean(at, SessionSummary::ctr),
                        sat,
                        mean(at, x -> x.steps())));
            }
            returns.addSeries(r);
            satisfaction.addSeries(s);
        }
        Files.writeString(dir.resolve("closed-loop.csv"), csv, StandardCharsets.UTF_8);
        plot(returns, "return (engagement per session, min)", dir.resolve("closed-loop-return.png"));
        plot(satisfaction, "satisfaction at the session's end", dir.resolve("closed-loop-satisfaction.png"));
        return dir;
    }

    private static double mean(List<SessionSummary> xs, ToDoubleFunction<SessionSummary> f) {
        return xs.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    private static void plot(XYSeriesCollection data, String metric, Path file) throws IOException {
        JFreeChart chart = ChartFactory.createXYLineChart(
                metric + " by session, one line per cohort",
                "the user's n-th session",
                metric,
                data,
                PlotOrientation.VERTICAL,
                true,
                false,
                false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        for (int i = 0; i < data.getSeriesCount(); i++) plot.getRenderer().setSeriesStroke(i, new BasicStroke(2f));
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 1000, 500);
    }
}
