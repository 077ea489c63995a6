package io.bptemporal.observability.logging;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Puts the workflow/activity context into the MDC around workflow and activity code, so every log
 * line written there carries {@code workflow_id}, {@code run_id}, {@code workflow_type}, {@code
 * namespace}, {@code task_queue}, {@code activity_type}/{@code activity_id}/{@code attempt} and the
 * current {@code trace_id}/{@code span_id}.
 *
 * <p>Workflow threads belong to Temporal: an execution's thread is parked between workflow tasks
 * and its handlers (signals, queries, updates) may run on threads that already carry another
 * context. So each entry point saves the MDC it finds, adds its fields and restores the saved MDC
 * when it returns; threads started from workflow code ({@code Async.function}, {@code
 * Workflow.newThread}) inherit the creator's fields. Only thread-local state is touched: no I/O and
 * nothing that could make replay diverge.
 *
 * <p>Order matters: the trace id is read from the span the tracing interceptor made current, so
 * this interceptor must sit inside it. The SDK wraps interceptors in array order, the last one
 * outermost; {@code Telemetry.workerInterceptors()} returns {@code [this, tracing]}.
 */
public final class LogContextInterceptor extends WorkerInterceptorBase {

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInbound(next);
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInbound(next);
  }

  private static final class WorkflowInbound extends WorkflowInboundCallsInterceptorBase {
    WorkflowInbound(WorkflowInboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public void init(WorkflowOutboundCallsInterceptor outboundCalls) {
      super.init(new WorkflowOutbound(outboundCalls));
    }

    @Override
    public WorkflowOutput execute(WorkflowInput input) {
      return withFields(workflowFields(), () -> super.execute(input));
    }

    @Override
    public void handleSignal(SignalInput input) {
      withFields(
          workflowFields(),
          () -> {
            super.handleSignal(input);
            return null;
          });
    }

    @Override
    public QueryOutput handleQuery(QueryInput input) {
      return withFields(workflowFields(), () -> super.handleQuery(input));
    }

    @Override
    public void validateUpdate(UpdateInput input) {
      withFields(
          workflowFields(),
          () -> {
            super.validateUpdate(input);
            return null;
          });
    }

    @Override
    public UpdateOutput executeUpdate(UpdateInput input) {
      return withFields(workflowFields(), () -> super.executeUpdate(input));
    }

    private static Map<String, String> workflowFields() {
      WorkflowInfo info = Workflow.getInfo();
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put(LogFields.WORKFLOW_ID, info.getWorkflowId());
      fields.put(LogFields.RUN_ID, info.getRunId());
      fields.put(LogFields.WORKFLOW_TYPE, info.getWorkflowType());
      fields.put(LogFields.NAMESPACE, info.getNamespace());
      fields.put(LogFields.TASK_QUEUE, info.getTaskQueue());
      putTrace(fields);
      return fields;
    }
  }

  private static final class WorkflowOutbound extends WorkflowOutboundCallsInterceptorBase {
    WorkflowOutbound(WorkflowOutboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public Object newChildThread(Runnable runnable, boolean detached, String name) {
      Map<String, String> inherited = MDC.getCopyOfContextMap();
      Runnable withContext =
          inherited == null
              ? runnable
              : () ->
                  withFields(
                      inherited,
                      () -> {
                        runnable.run();
                        return null;
                      });
      return super.newChildThread(withContext, detached, name);
    }
  }

  private static final class ActivityInbound extends ActivityInboundCallsInterceptorBase {
    private ActivityExecutionContext context;

    ActivityInbound(ActivityInboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public void init(ActivityExecutionContext context) {
      this.context = context;
      super.init(context);
    }

    @Override
    public ActivityOutput execute(ActivityInput input) {
      ActivityInfo info = context.getInfo();
      Map<String, String> fields = new LinkedHashMap<>();
      // A standalone activity (started by a client, not a workflow) has no workflow.
      if (info.isInWorkflow()) {
        fields.put(LogFields.WORKFLOW_ID, info.getWorkflowId());
        fields.put(LogFields.RUN_ID, info.getWorkflowRunId());
        fields.put(LogFields.WORKFLOW_TYPE, info.getWorkflowType());
      }
      fields.put(LogFields.NAMESPACE, info.getNamespace());
      fields.put(LogFields.TASK_QUEUE, info.getActivityTaskQueue());
      fields.put(LogFields.ACTIVITY_TYPE, info.getActivityType());
      fields.put(LogFields.ACTIVITY_ID, info.getActivityId());
      fields.put(LogFields.ATTEMPT, Integer.toString(info.getAttempt()));
      putTrace(fields);
      return withFields(fields, () -> super.execute(input));
    }
  }

  private static void putTrace(Map<String, String> fields) {
    SpanContext span = Span.current().getSpanContext();
    if (span.isValid()) {
      fields.put(LogFields.TRACE_ID, span.getTraceId());
      fields.put(LogFields.SPAN_ID, span.getSpanId());
    }
  }

  private static <T> T withFields(Map<String, String> fields, Supplier<T> body) {
    Map<String, String> saved = MDC.getCopyOfContextMap();
    fields.forEach(
        (k, v) -> {
          if (v != null) {
            MDC.put(k, v);
          }
        });
    try {
      return body.get();
    } finally {
      if (saved == null) {
        MDC.clear();
      } else {
        MDC.setContextMap(saved);
      }
    }
  }
}
