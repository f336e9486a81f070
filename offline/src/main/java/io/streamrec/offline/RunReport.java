package io.streamrec.offline;

import io.streamrec.config.ConfigKey;
import io.streamrec.config.StreamrecConfig;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.plot.XYPlot;
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
            String note = e.getKey().startsWith("drr") ? OfflineProtocols.DRR_NOTE : OfflineProtocols.TEMPORAL_NOTE;
            summary.append("\n")
                    .append(e.getKey())
                    .append(" — ")
                    .append(note)
                    .append("\n")
                    .append(OfflineProtocols.format(e.getValue()));
            StringBuilder oc = new StringBuilder("policy,users,precision,recall,ndcg,hit,reward,note\n");
            for (OfflineProtocols.Row r : e.getValue()) {
                oc.append(String.format(
                        Locale.ROOT,
                        "%s,%d,%s,%s,%s,%s,%s,%s%n",
                        r.policy(),
                        r.users(),
                        num(r.precision()),
                        num(r.recall()),
                        num(r.ndcg()),
                        num(r.hit()),
                        num(r.reward()),
                        r.note()));
            }
            Files.writeString(dir.resolve("offline-" + e.getKey() + ".csv"), oc, StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve("summary.txt"), summary, StandardCharsets.UTF_8);

        List<String> plots = new ArrayList<>();
        int k = stream.isEmpty() ? config.getInt(ConfigKey.K) : stream.get(0).k;
        String scope = stream.stream().anyMatch(m -> m.scope.equals(PolicyMetrics.SCOPE_DAY))
                ? PolicyMetrics.SCOPE_DAY
                : PolicyMetrics.SCOPE_EVENTS;
        for (String metric : List.of("ndcg@" + k, "hit@" + k, "reward", "loss")) {
            if (stream.stream().noneMatch(m -> m.scope.equals(scope) && m.values.containsKey(metric))) continue;
            String file = "plot-" + metric.replace('@', '-') + ".png";
            plot(metric, scope, dir.resolve(file));
            plots.add(file);
        }

        StringBuilder html = new StringBuilder(
                        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>streamrec run report</title>")
                .append(
                        "<style>body{font-family:sans-serif;margin:2em}pre{background:#f4f4f4;padding:1em}img{max-width:100%}</style></head><body>\n")
                .append("<h1>streamrec run report</h1>\n<p>")
                .append(escape(description))
                .append("</p>\n<h2>Summary</h2>\n<pre>")
                .append(escape(summary.toString()))
                .append("</pre>\n<h2>Over replay time (")
                .append(scope)
                .append(")</h2>\n");
        for (String p : plots)
            html.append("<p><img src=\"")
                    .append(p)
                    .append("\" alt=\"")
                    .append(p)
                    .append("\"></p>\n");
        html.append(
                        "<h2>Files</h2>\n<ul><li><a href=\"metrics.csv\">metrics.csv</a></li><li><a href=\"metrics.json\">metrics.json</a></li>")
                .append(
                        "<li><a href=\"config.properties\">config.properties</a></li><li><a href=\"summary.txt\">summary.txt</a></li></ul>\n</body></html>\n");
        Files.writeString(dir.resolve("index.html"), html, StandardCharsets.UTF_8);
        return dir;
    }

    /** The last cumulative record of each policy. */
    private List<PolicyMetrics> lastCumulative() {
        Map<String, PolicyMetrics> last = new LinkedHashMap<>();
        for (PolicyMetrics m : stream) if (m.scope.equals(PolicyMetrics.SCOPE_CUMULATIVE)) last.put(m.policy, m);
        return new ArrayList<>(last.values());
    }

    private void plot(String metric, String scope, Path file) throws IOException {
        Map<String, TimeSeries> series = new LinkedHashMap<>();
        for (PolicyMetrics m : stream) {
            if (!m.scope.equals(scope)) continue;
            Double v = m.values.get(metric);
            if (v == null) continue;
            series.computeIfAbsent(m.policy, TimeSeries::new)
                    .addOrUpdate(new Millisecond(new java.util.Date(m.windowEnd)), v);
        }
        TimeSeriesCollection data = new TimeSeriesCollection();
        series.values().forEach(data::addSeries);
        JFreeChart chart = ChartFactory.createTimeSeriesChart(
                metric + " per " + scope + " window", "replay (event) time", metric, data, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        for (int i = 0; i < data.getSeriesCount(); i++) plot.getRenderer().setSeriesStroke(i, new BasicStroke(1.5f));
        ((DateAxis) plot.getDomainAxis()).setDateFormatOverride(new java.text.SimpleDateFormat("yyyy-MM-dd"));
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 1000, 500);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
