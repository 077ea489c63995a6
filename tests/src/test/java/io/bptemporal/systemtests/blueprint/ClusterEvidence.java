package io.bptemporal.systemtests.blueprint;

import io.bptemporal.localcluster.ClusterLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Keeps what an operator would look at when a step fails: the cluster's events, every object of the
 * release's namespace and of the CNPG operator's, and the logs (current and previous) of every pod
 * there, under {@code target/e2e/failure-<step>/}. The failure is rethrown unchanged.
 */
final class ClusterEvidence
    implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
  static final Path DIR = Path.of("target", "e2e");

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    collect(context.getRequiredTestMethod().getName(), throwable);
    throw throwable;
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    collect("before-all", throwable);
    throw throwable;
  }

  private static void collect(String step, Throwable failure) {
    Path dir = DIR.resolve("failure-" + step);
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("failure.txt"), failure.toString());
      ClusterLayout layout = ClusterLayout.discover();
      List<String> kubectl =
          List.of(layout.tool("kubectl").toString(), "--kubeconfig=" + layout.kubeconfig());
      Map<String, List<String>> views =
          Map.of(
              "events.txt", List.of("get", "events", "-A", "--sort-by=.lastTimestamp"),
              "objects.txt",
                  List.of(
                      "get",
                      "all,pvc,cm,secret,pdb,clusters.postgresql.cnpg.io,databases.postgresql.cnpg.io",
                      "-n",
                      BlueprintE2E.NAMESPACE,
                      "-o",
                      "wide"),
              "describe-pods.txt", List.of("describe", "pods", "-n", BlueprintE2E.NAMESPACE),
              "cnpg-operator.log",
                  List.of(
                      "logs", "-n", "cnpg-system", "deploy/cnpg-controller-manager", "--tail=500"));
      for (var view : views.entrySet()) {
        Files.writeString(dir.resolve(view.getKey()), run(kubectl, view.getValue()));
      }
      String pods =
          run(kubectl, List.of("get", "pods", "-n", BlueprintE2E.NAMESPACE, "-o", "name"));
      for (String pod : pods.lines().filter(l -> l.startsWith("pod/")).toList()) {
        String name = pod.substring(4);
        Files.writeString(
            dir.resolve(name + ".log"),
            run(
                    kubectl,
                    List.of(
                        "logs",
                        "-n",
                        BlueprintE2E.NAMESPACE,
                        name,
                        "--all-containers",
                        "--prefix",
                        "--tail=2000"))
                + "\n--- previous ---\n"
                + run(
                    kubectl,
                    List.of(
                        "logs",
                        "-n",
                        BlueprintE2E.NAMESPACE,
                        name,
                        "--all-containers",
                        "--prefix",
                        "--previous",
                        "--tail=500")));
      }
      System.err.println(
          "e2e: the cluster's events, objects and pod logs of the failed step are in "
              + dir.toAbsolutePath());
    } catch (IOException | RuntimeException e) {
      System.err.println(
          "e2e: could not keep the evidence of the failed step in " + dir + ": " + e);
    }
  }

  private static String run(List<String> kubectl, List<String> args) throws IOException {
    List<String> command = new java.util.ArrayList<>(kubectl);
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out =
        new String(
            process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }
}
