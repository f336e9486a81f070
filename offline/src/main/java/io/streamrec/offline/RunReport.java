package io.streamrec.offline;

import io.streamrec.config.ConfigKey;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.eval.MetricCurves;
import io.streamrec.eval.SummaryTable;
import io.streamrec.schema.Json;
import io.streamrec.schema.PolicyMetrics;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.time.Millisecond;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

/**
 * The run report folder: {@code config.properties} (resolved, secrets masked), {@code metrics.csv} and
 * {@code metrics.json} (every metrics record of the stream: windows and cumulative), {@code summary.txt},
 * {@code offline-*.csv} for the offline protocols, PNG plots over replay time per policy (NDCG@k, hit@k, reward, and
 * the learner's loss when records carry one) and an {@code index.html} showing them. Plots are drawn headless.
 */
public final class RunReport {
    private final Path dir;
    private final StreamrecConfig config;
    private final String description;
    private final List<PolicyMetrics> stream = new ArrayList<>();
    private final Map<String, List<OfflineProtocols.Row>> offline = new LinkedHashMap<>();

    public RunReport(Path dir, StreamrecConfig config, String description) {
        this.dir = dir;
        this.config = config;
        this.description = description;
    }

    public void addStream(List<PolicyMetrics> metrics) {
        stream.addAll(metrics);
    }

    public void addOffline(String name, List<OfflineProtocols.Row> rows) {
        offline.put(name, rows);
    }

    /** Writes the folder; returns it. */
    public Path write() throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        StringBuilder props = new StringBuilder("# resolved streamrec configuration (secrets masked)\n");
        config.redacted()
                .forEach((k, v) -> props.append(k).append('=').append(v).append('\n'));
        Files.writeString(dir.resolve("config.properties"), props, StandardCharsets.UTF_8);

        Set<String> names = new LinkedHashSet<>();
        for (PolicyMetrics m : stream) names.addAll(m.values.keySet());
        StringBuilder csv = new StringBuilder("policy,scope,k,windowStart,windowEnd,eventsSeen,count");
        for (String n : names) csv.append(',').append(n);
        csv.append('\n');
        for (PolicyMetrics m : stream) {
            csv.append(m.policy)
                    .append(',')
                    .append(m.scope)
                    .append(',')
                    .append(m.k)
                    .append(',')
                    .append(m.windowStart)
                    .append(',')
                    .append(m.windowEnd)
                    .append(',')
                    .append(m.eventsSeen)
                    .append(',')
                    .append(m.count);
            for (String n : names) {
                Double v = m.values.get(n);
                csv.append(',').append(v == null ? "" : String.format(Locale.ROOT, "%.6g", v));
            }
            csv.append('\n');
        }
        Files.writeString(dir.resolve("metrics.csv"), csv, StandardCharsets.UTF_8);
        Files.write(
                dir.resolve("metrics.json"),
                Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(stream));

        List<PolicyMetrics> cumulative = lastCumulative();
        StringBuilder summary = new StringBuilder(description)
                .append("\n\nprequential, cumulative:\n")
                .append(SummaryTable.format(cumulative));
        for (Map.Entry<String, List<OfflineProtocols.Row>> e : offline.entrySet()) {
            summary.append("\n")
                    .append(e.getKey())
                    .append(" — ")
                    .append(note(e.getKey()))
                    .append("\n")
                    .append(OfflineProtocols.format(e.getValue()));
            StringBuilder oc = new StringBuilder("policy,users,precision,recall,ndcg,hit,reward,note\n");
            for (OfflineProtocols.Row r : e.getValue())
                oc.append(String.join(",", cells(r))).append('\n');
            Files.writeString(dir.resolve("offline-" + e.getKey() + ".csv"), oc, StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve("summary.txt"), summary, StandardCharsets.UTF_8);

        List<Plot> plots = new ArrayList<>();
        int k = stream.isEmpty() ? config.getInt(ConfigKey.K) : stream.get(0).k;
        String scope = MetricCurves.windowScope(stream);
        for (String metric : List.of("ndcg@" + k, "hit@" + k, "reward", "loss")) {
            Map<String, MetricCurves.Curve> curves = MetricCurves.of(stream, scope, metric, MAX_POINTS);
            if (curves.isEmpty()) continue;
            String file = "plot-" + metric.replace('@', '-') + ".png";
            byte[] png = plot(metric, curves);
            Files.write(dir.resolve(file), png);
            plots.add(new Plot(file, metric, png));
        }
        Files.writeString(dir.resolve("index.html"), html(summary.toString(), cumulative, scope, plots));
        return dir;
    }

    /** A drawn plot: its file, its metric, its PNG bytes (embedded in index.html, so the page is one file). */
    private record Plot(String file, String metric, byte[] png) {}

    private static final int MAX_POINTS = 400;
    private static final int PLOT_WIDTH = 1000;
    private static final int PLOT_HEIGHT = 640;

    private String html(String summary, List<PolicyMetrics> cumulative, String scope, List<Plot> plots) {
        StringBuilder html = new StringBuilder("<!doctype html>\n<html><head><meta charset=\"utf-8\">")
                .append("<title>streamrec run report</title><style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:1100px}")
                .append("table{border-collapse:collapse;margin:.5em 0 1.5em}")
                .append("td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}")
                .append("td:first-child,th:first-child{text-align:left}th{background:#f0f0f0}")
                .append("img{max-width:100%}p.note{color:#555;font-size:90%}</style></head><body>\n")
                .append("<h1>streamrec run report</h1>\n<p>")
                .append(escape(description))
                .append("</p>\n<h2>Prequential evaluation (test-then-learn), cumulative</h2>\n");
        int k = cumulative.isEmpty() ? config.getInt(ConfigKey.K) : cumulative.get(0).k;
        List<String> cols = SummaryTable.columns(k);
        List<List<String>> rows = new ArrayList<>();
        for (PolicyMetrics m : cumulative) {
            List<String> row = new ArrayList<>(List.of(m.policy, Long.toString(m.count)));
            for (String c : cols) row.add(m.values.containsKey(c) ? num(m.values.get(c)) : "-");
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("policy", "slates"));
        header.addAll(cols);
        table(html, header, rows);
        if (!plots.isEmpty()) {
            html.append("<h2>Over replay time</h2>\n<p class=\"note\">Upper panel: smoothed. ")
                    .append(escape(MetricCurves.describeSmoothing(scope)))
                    .append(" Lower panel: cumulative since the start of the replay.</p>\n");
            for (Plot p : plots)
                html.append("<h3>")
                        .append(escape(p.metric()))
                        .append("</h3>\n<p><img alt=\"")
                        .append(escape(p.metric()))
                        .append(" over replay time\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(p.png()))
                        .append("\"></p>\n");
        }
        for (Map.Entry<String, List<OfflineProtocols.Row>> e : offline.entrySet()) {
            html.append("<h2>Offline: ")
                    .append(escape(e.getKey()))
                    .append("</h2>\n<p class=\"note\">")
                    .append(escape(note(e.getKey())))
                    .append("</p>\n");
            List<List<String>> offRows = new ArrayList<>();
            for (OfflineProtocols.Row r : e.getValue()) offRows.add(cells(r));
            table(
                    html,
                    List.of(
                            "policy",
                            "users",
                            "precision@" + k,
                            "recall@" + k,
                            "ndcg@" + k,
                            "hit@" + k,
                            "reward",
                            "note"),
                    offRows);
        }
        html.append("<h2>Files</h2>\n<ul>");
        for (String f : List.of("metrics.csv", "metrics.json", "config.properties", "summary.txt"))
            html.append("<li><a href=\"").append(f).append("\">").append(f).append("</a></li>");
        for (Plot p : plots)
            html.append("<li><a href=\"")
                    .append(p.file())
                    .append("\">")
                    .append(p.file())
                    .append("</a></li>");
        html.append("</ul>\n<h2>Summary (text)</h2>\n<pre>")
                .append(escape(summary))
                .append("</pre>\n</body></html>\n");
        return html.toString();
    }

    /** What an offline protocol's numbers mean (its leak or lack of one). */
    private static String note(String protocol) {
        return protocol.startsWith("drr") ? OfflineProtocols.DRR_NOTE : OfflineProtocols.TEMPORAL_NOTE;
    }

    /** One offline row's cells, as the CSV file and the page's table show them. */
    private static List<String> cells(OfflineProtocols.Row r) {
        return List.of(
                r.policy(),
                Integer.toString(r.users()),
                num(r.precision()),
                num(r.recall()),
                num(r.ndcg()),
                num(r.hit()),
                num(r.reward()),
                r.note());
    }

    private static void table(StringBuilder html, List<String> header, List<List<String>> rows) {
        html.append("<table><tr>");
        for (String h : header) html.append("<th>").append(escape(h)).append("</th>");
        html.append("</tr>\n");
        for (List<String> row : rows) {
            html.append("<tr>");
            for (String c : row) html.append("<td>").append(escape(c)).append("</td>");
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    /** The last cumulative record of each policy. */
    private List<PolicyMetrics> lastCumulative() {
        Map<String, PolicyMetrics> last = new LinkedHashMap<>();
        for (PolicyMetrics m : stream) if (m.scope.equals(PolicyMetrics.SCOPE_CUMULATIVE)) last.put(m.policy, m);
        return new ArrayList<>(last.values());
    }

    /** Smoothed curves above, cumulative below, over replay (event) time; one line per policy. */
    private static byte[] plot(String metric, Map<String, MetricCurves.Curve> curves) throws IOException {
        TimeSeriesCollection smoothed = new TimeSeriesCollection();
        TimeSeriesCollection cumulative = new TimeSeriesCollection();
        for (MetricCurves.Curve c : curves.values()) {
            smoothed.addSeries(series(c.policy(), c.smoothed()));
            cumulative.addSeries(series(c.policy(), c.cumulative()));
        }
        DateAxis time = new DateAxis("replay (event) time");
        time.setDateFormatOverride(new java.text.SimpleDateFormat("yyyy-MM-dd"));
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(time);
        combined.add(panel(smoothed, metric + " (smoothed)", true), 1);
        combined.add(panel(cumulative, metric + " (cumulative)", false), 1);
        JFreeChart chart = new JFreeChart(metric + " over the replay", JFreeChart.DEFAULT_TITLE_FONT, combined, true);
        chart.setBackgroundPaint(Color.WHITE);
        return ChartUtils.encodeAsPNG(chart.createBufferedImage(PLOT_WIDTH, PLOT_HEIGHT));
    }

    private static TimeSeries series(String policy, List<MetricCurves.Point> points) {
        TimeSeries s = new TimeSeries(policy);
        for (MetricCurves.Point p : points) s.addOrUpdate(new Millisecond(new java.util.Date(p.time())), p.value());
        return s;
    }

    private static XYPlot panel(TimeSeriesCollection data, String label, boolean legend) {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(1.8f));
            renderer.setSeriesPaint(i, Color.decode(MetricCurves.color((String) data.getSeriesKey(i))));
            renderer.setSeriesVisibleInLegend(i, legend);
        }
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, null, axis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
