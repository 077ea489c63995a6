package io.bptemporal.bench.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bptemporal.bench.report.Plots;
import io.bptemporal.bench.report.Summary;
import io.bptemporal.bench.report.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pipeline benchmark's result: per contender the best and median rows/s of the rounds (rows =
 * the good rows every contender writes, the same for all), the ratios of ours to COPY and to the
 * JDBC batch insert, the target checked. Printed, written as pipeline.json and a bar chart.
 *
 * @param contenders in the order they took turns
 * @param nanos per contender the wall time of each round
 * @param rows rows each contender wrote per round
 * @param records records in the file (rows plus the quarantined ones)
 * @param ours the contender the target is about
 * @param copy the limit (PostgreSQL COPY)
 * @param jdbc the plain JDBC batch insert
 * @param machine free-text description of where and at what size it ran
 */
public record PipelineReport(
    List<String> contenders,
    Map<String, List<Long>> nanos,
    long rows,
    long records,
    String ours,
    String copy,
    String jdbc,
    String machine) {

  /** The load path at least this fraction of COPY's rate (issue 18). */
  public static final double COPY_TARGET = 0.5;

  public double best(String contender) {
    return rows
        / (nanos.get(contender).stream().mapToLong(Long::longValue).min().orElseThrow() / 1e9);
  }

  public double median(String contender) {
    double[] perSecond =
        nanos.get(contender).stream().mapToDouble(n -> rows / (n / 1e9)).sorted().toArray();
    int n = perSecond.length;
    return n % 2 == 1 ? perSecond[n / 2] : (perSecond[n / 2 - 1] + perSecond[n / 2]) / 2;
  }

  /** Median rows/s of {@code contender} / median rows/s of {@code of}. */
  public double ratio(String contender, String of) {
    return median(contender) / median(of);
  }

  public List<Target> targets() {
    List<Target> targets = new ArrayList<>();
    targets.add(
        Target.atLeast(
            "pipeline",
            ours + " / COPY",
            ratio(ours, copy),
            "x",
            COPY_TARGET,
            String.format(Locale.ROOT, "%,d records, median rows/s of the rounds", records)));
    targets.add(Target.reported("pipeline", ours + " / JDBC batch", ratio(ours, jdbc), "x", ""));
    for (String other : contenders) {
      if (!other.equals(ours) && !other.equals(copy) && !other.equals(jdbc)) {
        targets.add(Target.reported("pipeline", other + " / COPY", ratio(other, copy), "x", ""));
      }
    }
    return targets;
  }

  public String table() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%nPIPELINE BENCHMARK: %,d records (%,d good rows written by each), %d rounds,"
                + " contenders alternating; %s%n",
            records,
            rows,
            nanos.values().iterator().next().size(),
            machine));
    String row = "%-40s %12s %12s %10s %10s%n";
    out.append(
        String.format(
            Locale.ROOT, row, "contender", "best rows/s", "median/s", "/ COPY", "/ JDBC"));
    for (String contender : contenders) {
      out.append(
          String.format(
              Locale.ROOT,
              row,
              contender,
              String.format(Locale.ROOT, "%,.0f", best(contender)),
              String.format(Locale.ROOT, "%,.0f", median(contender)),
              String.format(Locale.ROOT, "%.2fx", ratio(contender, copy)),
              String.format(Locale.ROOT, "%.2fx", ratio(contender, jdbc))));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%s: %.2fx COPY (target >= %.1f: %s), %.2fx the JDBC batch insert%n",
            ours,
            ratio(ours, copy),
            COPY_TARGET,
            ratio(ours, copy) >= COPY_TARGET ? "met" : "MISSED",
            ratio(ours, jdbc)));
    return out.toString();
  }

  /** pipeline.json, pipeline.txt and pipeline-rows-per-second.png under {@code dir}. */
  public List<Path> write(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    ObjectNode root = new ObjectMapper().createObjectNode();
    root.put("benchmark", "pipeline load vs PostgreSQL COPY and JDBC batch insert");
    root.put("machine", machine);
    root.put("records", records);
    root.put("rows_per_contender", rows);
    root.set("summary", Summary.json(targets()));
    ArrayNode all = root.putArray("contenders");
    for (String contender : contenders) {
      ObjectNode n = all.addObject();
      n.put("contender", contender);
      n.put("rows_per_second_best", Summary.round3(best(contender)));
      n.put("rows_per_second_median", Summary.round3(median(contender)));
      n.put("ratio_to_copy", Summary.round3(ratio(contender, copy)));
      n.put("ratio_to_jdbc", Summary.round3(ratio(contender, jdbc)));
      ArrayNode seconds = n.putArray("seconds_per_round");
      nanos.get(contender).forEach(t -> seconds.add(Summary.round3(t / 1e9)));
    }
    Path json = dir.resolve("pipeline.json");
    Summary.writeJson(json, root);
    written.add(json);
    Path txt = dir.resolve("pipeline.txt");
    Files.writeString(txt, table());
    written.add(txt);
    Map<String, double[]> bars = new LinkedHashMap<>();
    bars.put("best", contenders.stream().mapToDouble(this::best).toArray());
    bars.put("median", contenders.stream().mapToDouble(this::median).toArray());
    written.add(
        Plots.barChart(
            dir.resolve("pipeline-rows-per-second.png"),
            String.format(Locale.ROOT, "Pipeline: %,d records into PostgreSQL, rows/s", records),
            "rows/s",
            contenders,
            bars));
    return written;
  }
}
