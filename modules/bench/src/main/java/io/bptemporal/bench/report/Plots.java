package io.bptemporal.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line charts of the benchmarks as PNG files, one look for every plot of {@code make bench}. */
public final class Plots {
  private Plots() {}

  /** One named series: x and y values of the same length. */
  public record Series(String name, double[] x, double[] y) {}

  /** A line chart; a logarithmic x axis for concurrency levels and latencies. */
  public static Path lineChart(
      Path png,
      String title,
      String xAxis,
      String yAxis,
      boolean logarithmicX,
      Iterable<Series> series) {
    // Charts are drawn off screen: a benchmark host has no display.
    System.setProperty("java.awt.headless", "true");
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(520)
            .title(title)
            .xAxisTitle(xAxis)
            .yAxisTitle(yAxis)
            .build();
    chart.getStyler().setXAxisLogarithmic(logarithmicX);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setMarkerSize(5);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisDecimalPattern("#,##0.##");
    chart.getStyler().setXAxisDecimalPattern("#,##0.#");
    Map<String, Series> unique = new LinkedHashMap<>();
    series.forEach(s -> unique.put(s.name(), s));
    for (Series s : unique.values()) {
      XYSeries drawn = chart.addSeries(s.name(), s.x(), s.y());
      drawn.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      if (s.x().length > 40) {
        // A dense series (a CDF) reads as a line; markers would blot it.
        drawn.setMarker(SeriesMarkers.NONE);
      }
    }
    return save(chart, png);
  }

  /**
   * A bar chart: one group of bars per category (e.g. a contender), one bar per series (e.g. best
   * and median of the rounds).
   */
  public static Path barChart(
      Path png, String title, String yAxis, List<String> categories, Map<String, double[]> series) {
    System.setProperty("java.awt.headless", "true");
    CategoryChart chart =
        new CategoryChartBuilder().width(900).height(520).title(title).yAxisTitle(yAxis).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisDecimalPattern("#,##0");
    series.forEach(
        (name, values) ->
            chart.addSeries(name, categories, java.util.Arrays.stream(values).boxed().toList()));
    return save(chart, png);
  }

  private static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path png) {
    try {
      Files.createDirectories(png.toAbsolutePath().getParent());
      BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
    }
    return png;
  }
}
