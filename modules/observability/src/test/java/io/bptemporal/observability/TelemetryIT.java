package io.bptemporal.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.observability.logging.LogFields;
import io.bptemporal.observability.tracing.TraceParent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The done-when criteria on the real dev stack: a worker whose telemetry is on (tracing
 * into an in-memory exporter through the real OpenTelemetry autoconfiguration) runs workflows on
 * the real server.
 */
@ExtendWith(DevStackExtension.class)
class TelemetryIT {
  private static ObservedWorker worker;

  @BeforeAll
  static void startWorker(StackEndpoints stack) {
    worker = ObservedWorker.start(stack.temporalAddress(), ObservedWorker.tracingToMemory());
  }

  @AfterAll
  static void stopWorker() {
    worker.close();
  }

  @Test
  void completedWorkflowShowsOnMetricsWithNamespaceTaskQueueAndWorkflowType() {
    worker.newWorkflow("metrics-" + UUID.randomUUID()).run("ok");

    // The SDK's tally scope reports to the registry every second.
    String series =
        await(
            "temporal_workflow_completed_total of task queue " + worker.taskQueue + " on /metrics",
            Duration.ofMinutes(2),
            () ->
                worker
                    .metrics()
                    .lines()
                    .filter(l -> l.startsWith("temporal_workflow_completed_total{"))
                    .filter(l -> l.contains("task_queue=\"" + worker.taskQueue + "\""))
                    .findFirst()
                    .orElse(null));

    assertThat(series)
        .contains("namespace=\"default\"")
        .contains("workflow_type=\"ObservedWorkflow\"")
        .contains("service=\"observability-it\"");
    assertThat(Double.parseDouble(series.substring(series.lastIndexOf(' ') + 1)))
        .isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void spansFormOneTraceFromStartWorkflowToRunActivityAndTheActivitySeesItsSpan() {
    ObservedWorkflow.Observed observed = worker.newWorkflow("trace-" + UUID.randomUUID()).run("ok");

    List<SpanData> trace = awaitTrace(observed.activityTraceId(), 4);
    SpanData start = only(trace, "StartWorkflow:ObservedWorkflow");
    SpanData startActivity = only(trace, "StartActivity:Look");
    SpanData runActivity = only(trace, "RunActivity:Look");
    // One RunWorkflow span per execution of the workflow code: a worker that evicts the workflow
    // from its cache (a
    // loaded machine misses the sticky task's timeout) ends the span with evicted=true and replays
    // under a new one.
    List<SpanData> runs =
        trace.stream().filter(s -> s.getName().equals("RunWorkflow:ObservedWorkflow")).toList();
    assertThat(
            runs.stream()
                .filter(
                    s ->
                        !Boolean.TRUE.equals(
                            s.getAttributes().get(AttributeKey.booleanKey("evicted")))))
        .as("RunWorkflow spans not ended by an eviction")
        .hasSizeLessThanOrEqualTo(1);

    assertThat(start.getParentSpanContext().isValid()).as("StartWorkflow is the root").isFalse();
    assertThat(runs)
        .isNotEmpty()
        .allSatisfy(run -> assertThat(run.getParentSpanId()).isEqualTo(start.getSpanId()));
    assertThat(runs).extracting(SpanData::getSpanId).contains(startActivity.getParentSpanId());
    assertThat(runActivity.getParentSpanId()).isEqualTo(startActivity.getSpanId());
    assertThat(trace).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(start.getTraceId()));
    // The activity's current span (Span.current() in activity code) is the RunActivity span itself.
    assertThat(observed.activitySpanId()).isEqualTo(runActivity.getSpanId());
    assertThat(start.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(start.getResource().getAttributes().asMap().toString())
        .contains("service.name=observability-it");
  }

  @Test
  @SuppressWarnings("try") // the scope only needs to be open around the start
  void aTraceStartedFromAnEnvelopeTraceIdContinuesIntoTheWorkflowAndItsActivities() {
    String envelopeTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    TraceParent parent = TraceParent.parse(envelopeTraceId);

    ObservedWorkflow.Observed observed;
    try (Scope ignored = worker.telemetry.tracing().continueTrace(parent)) {
      observed = worker.newWorkflow("envelope-" + UUID.randomUUID()).run("ok");
    }

    assertThat(observed.activityTraceId()).isEqualTo(envelopeTraceId);
    assertThat(observed.workflowMdc()).containsEntry(LogFields.TRACE_ID, envelopeTraceId);
    assertThat(observed.activityMdc()).containsEntry(LogFields.TRACE_ID, envelopeTraceId);
    List<SpanData> trace = awaitTrace(envelopeTraceId, 4);
    assertThat(trace)
        .extracting(SpanData::getName)
        .contains(
            "StartWorkflow:ObservedWorkflow",
            "RunWorkflow:ObservedWorkflow",
            "StartActivity:Look",
            "RunActivity:Look");
    SpanData start = only(trace, "StartWorkflow:ObservedWorkflow");
    assertThat(start.getParentSpanContext().isRemote())
        .as("StartWorkflow's parent is the envelope's producer")
        .isTrue();
  }

  @Test
  @SuppressWarnings("try") // the scope only needs to be open around the start
  void aWholeTraceparentKeepsTheProducersSpanAsParent() {
    String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    ObservedWorkflow.Observed observed;
    try (Scope ignored = worker.telemetry.tracing().continueTrace(TraceParent.parse(traceparent))) {
      observed = worker.newWorkflow("traceparent-" + UUID.randomUUID()).run("ok");
    }

    assertThat(observed.activityTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    SpanData start =
        only(awaitTrace("0af7651916cd43dd8448eb211c80319c", 4), "StartWorkflow:ObservedWorkflow");
    assertThat(start.getParentSpanId()).isEqualTo("b7ad6b7169203331");
  }

  @Test
  void workflowAndActivityCodeLogWithTheirContextInTheMdc() {
    String workflowId = "mdc-" + UUID.randomUUID();
    ObservedWorkflow workflow = worker.newWorkflow(workflowId);
    ObservedWorkflow.Observed observed = workflow.run("ok");
    String runId = WorkflowStub.fromTyped(workflow).getExecution().getRunId();

    assertThat(observed.workflowMdc())
        .containsEntry(LogFields.WORKFLOW_ID, workflowId)
        .containsEntry(LogFields.RUN_ID, runId)
        .containsEntry(LogFields.WORKFLOW_TYPE, "ObservedWorkflow")
        .containsEntry(LogFields.NAMESPACE, "default")
        .containsEntry(LogFields.TASK_QUEUE, worker.taskQueue)
        .containsEntry(LogFields.TRACE_ID, observed.activityTraceId())
        .doesNotContainKey(LogFields.ACTIVITY_TYPE);
    assertThat(observed.activityMdc())
        .containsEntry(LogFields.WORKFLOW_ID, workflowId)
        .containsEntry(LogFields.RUN_ID, runId)
        .containsEntry(LogFields.WORKFLOW_TYPE, "ObservedWorkflow")
        .containsEntry(LogFields.ACTIVITY_TYPE, "Look")
        .containsEntry(LogFields.ATTEMPT, "1")
        .containsEntry(LogFields.TRACE_ID, observed.activityTraceId())
        .containsEntry(LogFields.SPAN_ID, observed.activitySpanId())
        .containsKey(LogFields.ACTIVITY_ID);
  }

  @Test
  @SuppressWarnings("try") // the scope only needs to be open around the start
  void withTracingOffNoSpansAreExportedButAnEnvelopeTraceStillReachesTheLogs(StackEndpoints stack) {
    String envelopeTraceId = "5cf92f3577b34da6a3ce929d0e0e4799";
    try (ObservedWorker untraced =
        ObservedWorker.start(stack.temporalAddress(), Map.of("MANAGEMENT_PORT", "0"))) {
      assertThat(untraced.telemetry.tracing().enabled()).isFalse();

      ObservedWorkflow.Observed plain =
          untraced.newWorkflow("untraced-" + UUID.randomUUID()).run("ok");
      ObservedWorkflow.Observed continued;
      try (Scope ignored =
          untraced.telemetry.tracing().continueTrace(TraceParent.parse(envelopeTraceId))) {
        continued = untraced.newWorkflow("untraced-envelope-" + UUID.randomUUID()).run("ok");
      }

      assertThat(plain.activityMdc()).doesNotContainKey(LogFields.TRACE_ID);
      assertThat(continued.workflowMdc()).containsEntry(LogFields.TRACE_ID, envelopeTraceId);
      assertThat(continued.activityMdc()).containsEntry(LogFields.TRACE_ID, envelopeTraceId);
      assertThat(MemorySpanExporterProvider.SPANS.getFinishedSpanItems())
          .noneMatch(s -> s.getTraceId().equals(envelopeTraceId));
    }
  }

  @Test
  void signalAndQueryHandlersSeeTheWorkflowContextAndLeaveTheWorkflowsOwnIntact() {
    String workflowId = "handlers-" + UUID.randomUUID();
    ObservedWorkflow workflow = worker.newWorkflow(workflowId);
    WorkflowClient.start(workflow::run, "wait");

    Map<String, String> queried = workflow.queryContext();
    workflow.release();
    ObservedWorkflow.Observed observed =
        WorkflowStub.fromTyped(workflow).getResult(ObservedWorkflow.Observed.class);

    assertThat(queried)
        .containsEntry(LogFields.WORKFLOW_ID, workflowId)
        .containsKey(LogFields.RUN_ID);
    // workflowMdc is the signal handler's here; the workflow itself fails if its own MDC changed.
    assertThat(observed.workflowMdc())
        .containsEntry(LogFields.WORKFLOW_ID, workflowId)
        .containsEntry(LogFields.WORKFLOW_TYPE, "ObservedWorkflow");
  }

  @Test
  void livenessAndReadinessAnswerWhileTheWorkerPolls() {
    assertThat(worker.get("/healthz").statusCode()).isEqualTo(200);
    var ready = worker.get("/readyz");
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    assertThat(ready.body())
        .contains("\"name\":\"Temporal reachable\"")
        .contains("\"name\":\"worker polling\"");
  }

  @Test
  void asynchronousStartKeepsTheTraceAcrossTheClientCall() {
    ObservedWorkflow workflow = worker.newWorkflow("async-" + UUID.randomUUID());
    var execution = WorkflowClient.start(workflow::run, "ok");
    ObservedWorkflow.Observed observed =
        WorkflowStub.fromTyped(workflow).getResult(ObservedWorkflow.Observed.class);

    List<SpanData> trace = awaitTrace(observed.activityTraceId(), 4);
    assertThat(only(trace, "RunWorkflow:ObservedWorkflow").getAttributes().asMap().toString())
        .contains(execution.getRunId());
  }

  private static SpanData only(List<SpanData> spans, String name) {
    List<SpanData> named = spans.stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(named)
        .as("spans named %s in %s", name, spans.stream().map(SpanData::getName).toList())
        .hasSize(1);
    return named.getFirst();
  }

  private static List<SpanData> awaitTrace(String traceId, int atLeast) {
    Predicate<SpanData> inTrace = s -> s.getTraceId().equals(traceId);
    return Awaitility.await("at least " + atLeast + " finished spans of trace " + traceId)
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                MemorySpanExporterProvider.SPANS.getFinishedSpanItems().stream()
                    .filter(inTrace)
                    .toList(),
            spans -> spans.size() >= atLeast);
  }

  /**
   * Polls {@code probe} until it answers a value (not null) and returns it; fails naming {@code
   * what}.
   */
  static <T> T await(String what, Duration timeout, java.util.function.Supplier<T> probe) {
    return Awaitility.await(what)
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .until(probe::get, Objects::nonNull);
  }
}
