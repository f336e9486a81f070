package io.streamrec.offline;

import io.streamrec.eval.SeedSummary;
import io.streamrec.offline.ClosedLoopProtocol.Cohort;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The closed loop's learning curves in the report folder: per cohort and session index the mean over seeds of return
 * (watch time), clicks and the quality watched, each with its 95 % interval over the seeds — {@code closed-loop.csv},
 * {@code closed-loop.txt} (the tables the command printed) and {@code closed-loop.html} with one chart per metric
 * (bands: the intervals). Drawn headless.
 */
final class ClosedLoopCurves {
    private record Metric(String name, String label, BiFunction<Cohort, Integer, Double> value) {}

    private static final List<Metric> METRICS = List.of(
            new Metric("return", "return per session (minutes watched)", (c, s) -> Cohort.mean(c.watch(), s)),
            new Metric("clicks", "clicks per session", (c, s) -> Cohort.mean(c.clicks(), s)),
            new Metric("quality", "mean quality of the videos watched", (c, s) -> c.meanQuality(s)));

    private ClosedLoopCurves() {}

    static Path write(Path dir, String description, String tables, List<List<Cohort>> seeds) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        int sessions = seeds.get(0).get(0).watch().length;
        int cohorts = seeds.get(0).size();
        StringBuilder csv = new StringBuilder("cohort,session,metric,mean,half_width_95,seeds\n");
        StringBuilder html = new StringBuilder("<!doctype html>\n<html><head><meta charset=\"utf-8\">")
                .append("<title>streamrec closed loop</title><style>body{font-family:sans-serif;margin:2em;")
                .append("max-width:1100px}pre{font-size:85%}img{max-width:100%}</style></head><body>\n")
                .append("<h1>streamrec closed loop: learning curves over sessions</h1>\n<p>")
                .append(RunReport.escape(description))
                .append("</p>\n<pre>")
                .append(RunReport.escape(tables))
                .append("</pre>\n");
        for (Metric m : METRICS) {
            YIntervalSeriesCollection data = new YIntervalSeriesCollection();
            for (int c = 0; c < cohorts; c++) {
                YIntervalSeries series = new YIntervalSeries(seeds.get(0).get(c).name());
                for (int s = 0; s < sessions; s++) {
                    double[] xs = new double[seeds.size()];
                    for (int i = 0; i < xs.length; i++)
                        xs[i] = m.value().apply(seeds.get(i).get(c), s);
                    SeedSummary.Interval iv = SeedSummary.interval(xs);
                    double hw = Double.isNaN(iv.halfWidth()) ? 0 : iv.halfWidth();
                    series.add(s + 1, iv.mean(), iv.mean() - hw, iv.mean() + hw);
                    csv.append(String.format(
                            Locale.ROOT,
                            "%s,%d,%s,%.6g,%.6g,%d%n",
                            seeds.get(0).get(c).name(),
                            s + 1,
                            m.name(),
                            iv.mean(),
                            hw,
                            xs.length));
                }
                data.addSeries(series);
            }
            DeviationRenderer renderer = new DeviationRenderer(true, true);
            for (int i = 0; i < cohorts; i++) {
                Color colour = Color.getHSBColor(0.85f * i / Math.max(1, cohorts - 1), 0.8f, 0.8f);
                renderer.setSeriesStroke(i, new BasicStroke(1.8f));
                renderer.setSeriesPaint(i, colour);
                renderer.setSeriesFillPaint(i, colour);
            }
            renderer.setAlpha(0.15f);
            NumberAxis session = new NumberAxis("session");
            session.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            session.setRange(0.8, sessions + 0.2);
            NumberAxis value = new NumberAxis(m.label());
            value.setAutoRangeIncludesZero(false);
            XYPlot plot = new XYPlot(data, session, value, renderer);
            plot.setBackgroundPaint(Color.WHITE);
            plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
            JFreeChart chart = new JFreeChart(m.label() + " by session", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
            chart.setBackgroundPaint(Color.WHITE);
            byte[] png = ChartUtils.encodeAsPNG(chart.createBufferedImage(1000, 560));
            Files.write(dir.resolve("closed-loop-" + m.name() + ".png"), png);
            html.append("<h2>")
                    .append(RunReport.escape(m.label()))
                    .append("</h2>\n<p><img alt=\"")
                    .append(RunReport.escape(m.label()))
                    .append(" by session\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(png))
                    .append("\"></p>\n");
        }
        html.append("<p>Bands: 95 % intervals over ")
                .append(seeds.size())
                .append(" seeds (none with one seed). Data: <a href=\"closed-loop.csv\">closed-loop.csv</a>.</p>")
                .append("</body></html>\n");
        Files.writeString(dir.resolve("closed-loop.csv"), csv, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("closed-loop.txt"), description + "\n\n" + tables, StandardCharsets.UTF_8);
        Path page = dir.resolve("closed-loop.html");
        Files.writeString(page, html, StandardCharsets.UTF_8);
        return page;
    }
}
