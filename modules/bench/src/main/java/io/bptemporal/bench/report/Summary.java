package io.bptemporal.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The one table of {@code make bench}: every benchmark's {@link Target}s of this run, value vs
 * limit as a ratio, PASS or MISS; also {@code summary.json}. Only what ran in this JVM is in it, so
 * a stale result of an earlier run can never pass for a current one.
 */
public final class Summary {
  private Summary() {}

  /** Cores, OS, JDK and the load average now: the label every result carries. */
  public static String machine() {
    return String.format(
        Locale.ROOT,
        "%d cores, %s %s, JDK %s, load average %.1f",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        Runtime.version(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  public static String table(List<Target> targets, String machine) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%nBENCH SUMMARY (issue 18 targets); %s%n", machine));
    String row = "%-10s %-52s %14s %14s %9s %6s%n";
    out.append(
        String.format(Locale.ROOT, row, "benchmark", "measure", "value", "target", "x limit", ""));
    for (Target t : targets) {
      double ratio = t.ratioToLimit();
      out.append(
          String.format(
              Locale.ROOT,
              row,
              t.benchmark(),
              t.measure(),
              t.valueText(),
              t.targetText(),
              Double.isFinite(ratio) ? String.format(Locale.ROOT, "%.2f", ratio) : "-",
              t.result()));
    }
    long judged = targets.stream().filter(Target::judged).count();
    long met = targets.stream().filter(t -> t.judged() && t.met()).count();
    out.append(
        String.format(
            Locale.ROOT,
            "%d of %d targets met (x limit = value / limit; - = reported, no target)%n",
            met,
            judged));
    return out.toString();
  }

  /** The targets as a JSON array, for the benchmarks' own files and the summary. */
  public static ArrayNode json(List<Target> targets) {
    ArrayNode array = new ObjectMapper().createArrayNode();
    for (Target t : targets) {
      ObjectNode n = array.addObject();
      n.put("benchmark", t.benchmark());
      n.put("measure", t.measure());
      n.put("value", round3(t.value()));
      n.put("unit", t.unit());
      if (t.judged()) {
        n.put("bound", t.bound().symbol);
        n.put("limit", t.limit());
        double ratio = t.ratioToLimit();
        if (Double.isFinite(ratio)) {
          n.put("ratio_to_limit", round3(ratio));
        }
      }
      n.put("result", t.result());
      if (!t.note().isEmpty()) {
        n.put("note", t.note());
      }
    }
    return array;
  }

  /** summary.json under {@code dir}. */
  public static Path write(Path dir, List<Target> targets, String machine) throws IOException {
    Files.createDirectories(dir);
    ObjectNode root = new ObjectMapper().createObjectNode();
    root.put("written", Instant.now().toString());
    root.put("machine", machine);
    root.set("targets", json(targets));
    Path file = dir.resolve("summary.json");
    writeJson(file, root);
    return file;
  }

  public static void writeJson(Path file, ObjectNode root) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
  }

  public static double round3(double v) {
    return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v;
  }
}
