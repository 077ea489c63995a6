package io.bptemporal.observability;

import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Measures what the telemetry bootstrap adds to a worker's start-up, cold (fresh JVMs, the case
 * that matters for a pod) and warm (repeated in this JVM), and reports it as a ratio to a plain
 * worker start. A benchmark ({@code make bench}), not a test: docs/operations/metrics.md quotes
 * target/startup-cost.txt.
 */
@ExtendWith(DevStackExtension.class)
class StartupCostBenchmark {
  private static final int COLD_RUNS = 5;
  private static final int WARM_RUNS = 15;

  @Test
  void telemetryBootstrapCostIsMeasuredAgainstAPlainWorkerStart(StackEndpoints stack)
      throws Exception {
    List<Map<String, Double>> plain = new ArrayList<>();
    List<Map<String, Double>> withTelemetry = new ArrayList<>();
    for (int i = 0; i < COLD_RUNS; i++) {
      plain.add(probe("plain", stack.temporalAddress()));
      withTelemetry.add(probe("telemetry", stack.temporalAddress()));
    }
    List<Double> warm = new ArrayList<>();
    for (int i = 0; i < WARM_RUNS; i++) {
      long started = System.nanoTime();
      Telemetry.start(
              TelemetryConfig.fromEnvironment(Map.of("MANAGEMENT_PORT", "0")::get, "startup-warm"))
          .close();
      warm.add((System.nanoTime() - started) / 1_000_000.0);
    }

    double plainMain = median(plain, "main_ms");
    double telemetryOnly = median(withTelemetry, "telemetry_ms");
    double telemetryMain = median(withTelemetry, "main_ms");
    double plainUptime = median(plain, "jvm_uptime_ms");
    double telemetryUptime = median(withTelemetry, "jvm_uptime_ms");
    String report =
        String.format(
            Locale.ROOT,
            """
        telemetry bootstrap cost (median of %d cold JVMs per mode, %d warm runs; %d cores, Java %s)
        plain worker start (main -> factory started):        %.0f ms
        telemetry bootstrap alone, cold:                     %.0f ms  (%.2f x the plain worker start)
        worker start with telemetry (main -> started):       %.0f ms  (%.2f x plain)
        JVM start -> worker started, plain / with telemetry: %.0f ms / %.0f ms  (%.2f x)
        telemetry bootstrap, warm (start + close in one JVM): %.1f ms
        """,
            COLD_RUNS,
            WARM_RUNS,
            Runtime.getRuntime().availableProcessors(),
            Runtime.version(),
            plainMain,
            telemetryOnly,
            telemetryOnly / plainMain,
            telemetryMain,
            telemetryMain / plainMain,
            plainUptime,
            telemetryUptime,
            telemetryUptime / plainUptime,
            medianOf(warm));
    System.out.println(report);
    Files.writeString(Path.of("target/startup-cost.txt"), report);
  }

  private static Map<String, Double> probe(String mode, String address)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (Runtime.version().feature() >= 24) {
      command.add("--enable-native-access=ALL-UNNAMED");
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            StartupProbe.class.getName(),
            mode,
            address));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError("startup probe (" + mode + ") failed:\n" + output);
    }
    String line =
        output
            .lines()
            .filter(l -> l.startsWith("STARTUP "))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "startup probe (" + mode + ") printed no STARTUP line:\n" + output));
    Map<String, Double> values = new HashMap<>();
    for (String pair : line.substring("STARTUP ".length()).split(" ")) {
      String[] kv = pair.split("=");
      if (!kv[0].equals("mode")) {
        values.put(kv[0], Double.parseDouble(kv[1]));
      }
    }
    return values;
  }

  private static double median(List<Map<String, Double>> runs, String key) {
    return medianOf(runs.stream().map(r -> r.get(key)).toList());
  }

  private static double medianOf(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
