package io.streamrec.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The soak's minutes as one PNG: answers per second, p99 latency, and memory (job RSS, heap after GC, broker RSS). */
final class SoakPlot {
    private SoakPlot() {}

    static void write(Path png, List<SoakVerdict.Minute> minutes, int rate) throws IOException {
        System.setProperty("java.awt.headless", "true");
        NumberAxis minute = new NumberAxis("minute");
        minute.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(minute);
        plot.add(
                panel(
                        "answers / s (rate " + rate + ")",
                        minutes,
                        new String[] {"answered per second"},
                        m -> m.answeredPerSecond()),
                1);
        plot.add(
                panel(
                        "p99 latency (ms)",
                        minutes,
                        new String[] {"p99, append → slate read"},
                        m -> m.p99Ms() == null ? Double.NaN : m.p99Ms()),
                1);
        plot.add(
                panel(
                        "memory (MB)",
                        minutes,
                        new String[] {"job process RSS", "heap used after GC", "broker process RSS"},
                        SoakVerdict.Minute::jobRssMb,
                        SoakVerdict.Minute::heapUsedMb,
                        SoakVerdict.Minute::brokerRssMb),
                2);
        JFreeChart chart = new JFreeChart("streamrec soak", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Files.write(png, ChartUtils.encodeAsPNG(chart.createBufferedImage(1000, 900)));
    }

    @SafeVarargs
    private static XYPlot panel(
            String label,
            List<SoakVerdict.Minute> minutes,
            String[] names,
            ToDoubleFunction<SoakVerdict.Minute>... ys) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (int i = 0; i < ys.length; i++) {
            XYSeries s = new XYSeries(names[i]);
            for (SoakVerdict.Minute m : minutes) {
                double y = ys[i].applyAsDouble(m);
                if (!Double.isNaN(y)) s.add(m.minute(), y);
            }
            data.addSeries(s);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        Color[] colours = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c)};
        for (int i = 0; i < ys.length; i++) {
            renderer.setSeriesStroke(i, new BasicStroke(1.8f));
            renderer.setSeriesPaint(i, colours[i % colours.length]);
        }
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(true);
        XYPlot p = new XYPlot(data, null, axis, renderer);
        p.setBackgroundPaint(Color.WHITE);
        p.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return p;
    }
}
