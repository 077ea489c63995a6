package io.bptemporal.pipeline.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.devstack.junit.RecordedHistories;
import io.bptemporal.pipeline.TestDatabases;
import io.bptemporal.pipeline.demo.CustomerData;
import io.bptemporal.pipeline.demo.PipelineDemoMain;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code make run} does: the worker as a service, then the demo task against it; the demo must
 * exit 0.
 */
@ExtendWith(DevStackExtension.class)
class PipelineDemoIT {
  @TempDir Path dir;

  @Test
  void theDemoLoadsItsFileThroughTheRunningWorkerAndPrintsCountsAndTheWebUiLink(
      StackEndpoints stack) throws Exception {
    // As the launcher does for `database: pipeline`: the same database and role for the worker and
    // the demo.
    String database = "pipeline_demo_it";
    String url = stack.postgres().ensureDatabase(database, database, TestDatabases.PASSWORD);
    Map<String, String> env = new HashMap<>();
    env.put("TEMPORAL_ADDRESS", stack.temporalAddress());
    env.put("TEMPORAL_NAMESPACE", Namespaces.PIPELINES.name());
    env.put("TEMPORAL_TASK_QUEUE", "pipelines-demo-" + UUID.randomUUID());
    env.put("DB_URL", url);
    env.put("DB_USER", database);
    env.put("DB_PASSWORD", TestDatabases.PASSWORD);
    try (WorkerProcessHandle worker = WorkerProcessHandle.start("worker", env)) {
      worker.awaitReady(Duration.ofSeconds(60));
      ProcessBuilder demo =
          new ProcessBuilder(
                  ProcessHandle.current().info().command().orElseThrow(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  PipelineDemoMain.class.getName())
              .redirectErrorStream(true);
      demo.environment().putAll(env);
      demo.environment().put("DEMO_ROWS", "2000");
      demo.environment().put("DEMO_DIR", dir.toString());
      Process process = demo.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      System.out.println(output);

      long bad =
          CustomerData.writeNdjson(dir.resolve("expected.ndjson"), 2_000, 5).defects().size();
      assertThat(process.exitValue()).as(output).isZero();
      assertThat(output)
          .contains(
              "pipeline-demo: done: read 2,000, loaded "
                  + String.format("%,d", 2_000 - bad)
                  + ", quarantined "
                  + bad)
          .contains("pipeline-demo: quarantined " + dir.resolve("demo-customers-"))
          .contains(
              "pipeline-demo: Web UI: http://127.0.0.1:8233/namespaces/pipelines/workflows/pipeline%3Ademo-customers-");
      recordHistory(stack, output);
    }
  }

  /** With -Dbp.record.histories=true (make record-histories): the demo's load, for replay. */
  private static void recordHistory(StackEndpoints stack, String output) {
    if (!RecordedHistories.recording()) {
      return;
    }
    Matcher link = Pattern.compile("/workflows/([^/\\s]+)").matcher(output);
    assertThat(link.find()).as(output).isTrue();
    String workflowId = URLDecoder.decode(link.group(1), StandardCharsets.UTF_8);
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporalAddress()).build());
    try {
      RecordedHistories.record(
          WorkflowClient.newInstance(
              stubs,
              WorkflowClientOptions.newBuilder().setNamespace(Namespaces.PIPELINES.name()).build()),
          workflowId,
          "completed-with-quarantine");
    } finally {
      stubs.shutdownNow();
    }
  }
}
