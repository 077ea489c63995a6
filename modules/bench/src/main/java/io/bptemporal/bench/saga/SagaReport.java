package io.bptemporal.bench.saga;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bptemporal.bench.report.Plots;
import io.bptemporal.bench.report.Summary;
import io.bptemporal.bench.report.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;

/**
 * The saga benchmark's result: per contender and concurrency level the best and median throughput
 * of the rounds and the median of the rounds' latency percentiles; the ratios of each of our
 * contenders to the peer; the targets checked on them. Printed as a table, written as JSON
 * and as PNG plots.
 *
 * @param peer the contender the others are divided by
 * @param ours the contender the targets are about (the real worker)
 * @param machine free-text description of where it ran
 */
public record SagaReport(
    String peer, String ours, List<String> contenders, List<SagaRun> runs, String machine) {

  /** Throughput at the best concurrency, ours / peer, at least this (issue 18). */
  public static final double THROUGHPUT_TARGET = 0.8;

  /** Median latency, ours / peer, at most this (issue 18). */
  public static final double P50_TARGET = 1.2;

  /** One contender at one concurrency level over its rounds. */
  public record Level(
      String contender,
      int concurrency,
      int rounds,
      double bestThroughput,
      double medianThroughput,
      double p50Ms,
      double p95Ms,
      double p99Ms,
      double cpuMsPerSaga,
      int failed,
      long[] pooledNanos) {}

  public List<Integer> levels() {
    return runs.stream().map(SagaRun::concurrency).distinct().sorted().toList();
  }

  public Level level(String contender, int concurrency) {
    List<SagaRun> mine =
        runs.stream()
            .filter(r -> r.contender().equals(contender) && r.concurrency() == concurrency)
            .toList();
    double[] throughput = mine.stream().mapToDouble(SagaRun::throughput).sorted().toArray();
    return new Level(
        contender,
        concurrency,
        mine.size(),
        throughput[throughput.length - 1],
        median(throughput),
        median(mine.stream().mapToDouble(r -> r.latencyMs(50)).toArray()),
        median(mine.stream().mapToDouble(r -> r.latencyMs(95)).toArray()),
        median(mine.stream().mapToDouble(r -> r.latencyMs(99)).toArray()),
        median(mine.stream().mapToDouble(SagaRun::workerCpuMsPerSaga).toArray()),
        mine.stream().mapToInt(SagaRun::failed).sum(),
        mine.stream().flatMapToLong(r -> LongStream.of(r.latencyNanos())).sorted().toArray());
  }

  /** The level where the contender's median throughput is highest. */
  public Level bestLevel(String contender) {
    return levels().stream()
        .map(c -> level(contender, c))
        .max(Comparator.comparingDouble(Level::medianThroughput))
        .orElseThrow();
  }

  /** Ours at its best concurrency / the peer at its best, both by median throughput. */
  public double throughputRatio(String contender) {
    return bestLevel(contender).medianThroughput() / bestLevel(peer).medianThroughput();
  }

  /** Median latency with one saga in flight (the latency a saga adds, no queueing), ours / peer. */
  public double p50Ratio(String contender) {
    int lowest = levels().get(0);
    return level(contender, lowest).p50Ms() / level(peer, lowest).p50Ms();
  }

  /** The summary's rows: each of our contenders' two ratios to the peer against their targets. */
  public List<Target> targets() {
    List<Target> targets = new ArrayList<>();
    for (String contender : contenders) {
      if (contender.equals(peer)) {
        continue;
      }
      Level best = bestLevel(contender);
      targets.add(
          Target.atLeast(
              "saga",
              "throughput " + contender + " / peer, best c",
              throughputRatio(contender),
              "x",
              THROUGHPUT_TARGET,
              "median of rounds; ours at c=" + best.concurrency()));
      targets.add(
          Target.atMost(
              "saga",
              "p50 latency " + contender + " / peer, c=" + levels().get(0),
              p50Ratio(contender),
              "x",
              P50_TARGET,
              ""));
      targets.add(
          Target.reported(
              "saga",
              "worker CPU per saga " + contender + " / peer, c=" + best.concurrency(),
              best.cpuMsPerSaga() / level(peer, best.concurrency()).cpuMsPerSaga(),
              "x",
              "median of rounds"));
    }
    return targets;
  }

  public String table() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%nSAGA BENCHMARK: order saga, %d rounds per level, contenders alternating; %s%n",
            runs.stream().mapToInt(SagaRun::round).max().orElse(0) + 1,
            machine));
    out.append(
        String.format(
            Locale.ROOT,
            "%-5s %-26s %9s %9s %9s %9s %9s %8s %8s %8s %11s %8s%n",
            "c",
            "contender",
            "best/s",
            "median/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "thr x",
            "p50 x",
            "p99 x",
            "cpu ms/saga",
            "cpu x"));
    for (int c : levels()) {
      Level p = level(peer, c);
      for (String contender : contenders) {
        Level l = level(contender, c);
        boolean isPeer = contender.equals(peer);
        out.append(
            String.format(
                Locale.ROOT,
                "%-5d %-26s %9.1f %9.1f %9.1f %9.1f %9.1f %8s %8s %8s %11.2f %8s%s%n",
                c,
                contender,
                l.bestThroughput(),
                l.medianThroughput(),
                l.p50Ms(),
                l.p95Ms(),
                l.p99Ms(),
                isPeer ? "1" : ratio(l.medianThroughput() / p.medianThroughput()),
                isPeer ? "1" : ratio(l.p50Ms() / p.p50Ms()),
                isPeer ? "1" : ratio(l.p99Ms() / p.p99Ms()),
                l.cpuMsPerSaga(),
                isPeer ? "1" : ratio(l.cpuMsPerSaga() / p.cpuMsPerSaga()),
                l.failed() == 0 ? "" : "  (" + l.failed() + " sagas failed)"));
      }
    }
    out.append("(thr x, p50 x, p99 x, cpu x: the contender / ")
        .append(peer)
        .append(
            " at that level; cpu ms/saga: CPU time of the contender's worker process during its")
        .append(" runs per completed saga, median of rounds)\n");
    for (String contender : contenders) {
      if (contender.equals(peer)) {
        continue;
      }
      Level best = bestLevel(contender);
      Level peerBest = bestLevel(peer);
      out.append(
          String.format(
              Locale.ROOT,
              "%s: best throughput %.1f/s at c=%d vs peer %.1f/s at c=%d -> %s (target >= %.1f: %s);"
                  + " p50 at c=%d %s the peer's (target <= %.1f: %s)%n",
              contender,
              best.medianThroughput(),
              best.concurrency(),
              peerBest.medianThroughput(),
              peerBest.concurrency(),
              ratio(throughputRatio(contender)),
              THROUGHPUT_TARGET,
              throughputRatio(contender) >= THROUGHPUT_TARGET ? "met" : "MISSED",
              levels().get(0),
              ratio(p50Ratio(contender)),
              P50_TARGET,
              p50Ratio(contender) <= P50_TARGET ? "met" : "MISSED"));
    }
    return out.toString();
  }

  /** saga.json and the plots under {@code dir}; returns the files written. */
  public List<Path> write(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    Path json = dir.resolve("saga.json");
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(json.toFile(), toJson());
    written.add(json);

    List<Plots.Series> throughput = new ArrayList<>();
    for (String contender : contenders) {
      List<Level> mine = levels().stream().map(c -> level(contender, c)).toList();
      throughput.add(
          new Plots.Series(
              contender,
              mine.stream().mapToDouble(Level::concurrency).toArray(),
              mine.stream().mapToDouble(Level::medianThroughput).toArray()));
    }
    written.add(
        Plots.lineChart(
            dir.resolve("saga-throughput.png"),
            "Order saga: throughput (median of rounds) vs sagas in flight",
            "sagas in flight",
            "sagas/s",
            true,
            throughput));
    for (int c : levels()) {
      List<Plots.Series> cdf = new ArrayList<>();
      for (String contender : contenders) {
        cdf.add(cdf(contender, level(contender, c).pooledNanos()));
      }
      written.add(
          Plots.lineChart(
              dir.resolve("saga-latency-cdf-c" + c + ".png"),
              "Order saga: end-to-end latency CDF, " + c + " in flight (all rounds)",
              "latency (ms)",
              "fraction of sagas",
              true,
              cdf));
    }
    return written;
  }

  private static Plots.Series cdf(String name, long[] sortedNanos) {
    int points = Math.min(sortedNanos.length, 400);
    double[] x = new double[points];
    double[] y = new double[points];
    for (int i = 0; i < points; i++) {
      int index = (int) ((long) i * (sortedNanos.length - 1) / Math.max(1, points - 1));
      x[i] = sortedNanos[index] / 1e6;
      y[i] = (index + 1) / (double) sortedNanos.length;
    }
    return new Plots.Series(name, x, y);
  }

  private ObjectNode toJson() {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("benchmark", "order saga vs the Go peer");
    root.put("machine", machine);
    root.put("peer", peer);
    root.put("ours", ours);
    root.set("summary", Summary.json(targets()));
    ObjectNode targets = root.putObject("targets");
    for (String contender : contenders) {
      if (contender.equals(peer)) {
        continue;
      }
      ObjectNode t = targets.putObject(contender);
      t.put("throughput_ratio_at_best_concurrency", round3(throughputRatio(contender)));
      t.put("throughput_target", THROUGHPUT_TARGET);
      t.put("throughput_met", throughputRatio(contender) >= THROUGHPUT_TARGET);
      t.put("p50_ratio_at_lowest_concurrency", round3(p50Ratio(contender)));
      t.put("p50_target", P50_TARGET);
      t.put("p50_met", p50Ratio(contender) <= P50_TARGET);
    }
    ArrayNode levels = root.putArray("levels");
    for (int c : levels()) {
      Level p = level(peer, c);
      for (String contender : contenders) {
        Level l = level(contender, c);
        ObjectNode n = levels.addObject();
        n.put("concurrency", c);
        n.put("contender", contender);
        n.put("rounds", l.rounds());
        n.put("throughput_best", round3(l.bestThroughput()));
        n.put("throughput_median", round3(l.medianThroughput()));
        n.put("p50_ms", round3(l.p50Ms()));
        n.put("p95_ms", round3(l.p95Ms()));
        n.put("p99_ms", round3(l.p99Ms()));
        n.put("worker_cpu_ms_per_saga", round3(l.cpuMsPerSaga()));
        n.put("failed", l.failed());
        n.put("throughput_ratio_to_peer", round3(l.medianThroughput() / p.medianThroughput()));
        n.put("p50_ratio_to_peer", round3(l.p50Ms() / p.p50Ms()));
        n.put("p99_ratio_to_peer", round3(l.p99Ms() / p.p99Ms()));
        n.put("worker_cpu_ratio_to_peer", round3(l.cpuMsPerSaga() / p.cpuMsPerSaga()));
      }
    }
    ArrayNode all = root.putArray("runs");
    for (SagaRun r : runs) {
      ObjectNode n = all.addObject();
      n.put("contender", r.contender());
      n.put("concurrency", r.concurrency());
      n.put("round", r.round());
      n.put("sagas", r.sagas());
      n.put("failed", r.failed());
      n.put("seconds", round3(r.wallNanos() / 1e9));
      n.put("throughput", round3(r.throughput()));
      n.put("p50_ms", round3(r.latencyMs(50)));
      n.put("p95_ms", round3(r.latencyMs(95)));
      n.put("p99_ms", round3(r.latencyMs(99)));
      n.put("worker_cpu_ms", round3(r.workerCpuNanos() / 1e6));
      r.failures().forEach(n.putArray("failures")::add);
    }
    return root;
  }

  private static String ratio(double r) {
    return String.format(Locale.ROOT, "%.2fx", r);
  }

  private static double round3(double v) {
    return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
