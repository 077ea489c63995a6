package io.bptemporal.observability.tracing;

import io.bptemporal.observability.TelemetryConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.opentracingshim.OpenTracingShim;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.common.interceptors.WorkflowClientInterceptor;
import io.temporal.opentracing.OpenTracingClientInterceptor;
import io.temporal.opentracing.OpenTracingOptions;
import io.temporal.opentracing.OpenTracingWorkerInterceptor;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Traces through workflows and activities: Temporal's OpenTracing interceptors over OpenTelemetry
 * (through the OpenTracing shim; the SDK's OpenTelemetry module is not published). The span context
 * travels in workflow and activity headers as a W3C {@code traceparent}.
 *
 * <p>With tracing on, the OpenTelemetry SDK is configured by the standard {@code OTEL_*} variables
 * (OTLP export by default). With tracing off there is no SDK: spans are no-ops, yet a trace context
 * that arrives (from an event envelope, or a caller's header) is still carried into the workflow
 * and its activities, so log lines there still show the caller's {@code trace_id}.
 */
public final class Tracing implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final OpenTelemetry openTelemetry;
  private final Optional<OpenTelemetrySdk> sdk;
  private final OpenTracingOptions options;

  // The OpenTracing shim is deprecated upstream (publication ends in 2027) but it is the only
  // bridge while
  // Temporal's own OpenTelemetry module is not on Maven Central; see docs/operations/metrics.md.
  @SuppressWarnings("deprecation")
  private Tracing(OpenTelemetry openTelemetry, Optional<OpenTelemetrySdk> sdk) {
    this.openTelemetry = openTelemetry;
    this.sdk = sdk;
    this.options =
        OpenTracingOptions.newBuilder()
            .setTracer(OpenTracingShim.createTracerShim(openTelemetry))
            .build();
  }

  /** On when {@link TelemetryConfig#tracingEnabled()}, otherwise propagation only. */
  public static Tracing start(TelemetryConfig config) {
    if (!config.tracingEnabled()) {
      return new Tracing(
          OpenTelemetry.propagating(
              ContextPropagators.create(W3CTraceContextPropagator.getInstance())),
          Optional.empty());
    }
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.service.name", config.service());
    // This module exports metrics through Prometheus and logs through stdout; OTLP would duplicate
    // them.
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    Map<String, String> given = new HashMap<>();
    config.otelSettings().forEach((name, value) -> given.put(propertyName(name), value));
    try {
      OpenTelemetrySdk sdk =
          AutoConfiguredOpenTelemetrySdk.builder()
              .addPropertiesSupplier(() -> defaults)
              // The configuration's environment wins over the JVM's own (they are the same in a
              // process).
              .addPropertiesCustomizer(ignored -> given)
              // Telemetry.close() flushes; a second hook would race it at JVM exit.
              .disableShutdownHook()
              .build()
              .getOpenTelemetrySdk();
      return new Tracing(sdk, Optional.of(sdk));
    } catch (ConfigurationException e) {
      throw new IllegalArgumentException(
          "tracing configuration (OTEL_* variables) is not accepted: " + e.getMessage(), e);
    }
  }

  public boolean enabled() {
    return sdk.isPresent();
  }

  /** The OpenTelemetry instance, for code that creates its own spans inside activities. */
  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  public WorkflowClientInterceptor clientInterceptor() {
    return new OpenTracingClientInterceptor(options);
  }

  public WorkerInterceptor workerInterceptor() {
    return new OpenTracingWorkerInterceptor(options);
  }

  /**
   * Makes {@code parent} the current remote span until the returned scope closes: a workflow
   * started inside it (StartWorkflow span, then RunWorkflow, StartActivity, RunActivity) joins the
   * parent's trace. Without a parent span id (only a trace id in the envelope), a random one stands
   * in for the producer.
   *
   * <pre>{@code
   * try (Scope ignored = telemetry.tracing().continueTrace(TraceParent.parse(envelope.traceId()))) {
   *   WorkflowClient.start(workflow::run, input);
   * }
   * }</pre>
   */
  public Scope continueTrace(TraceParent parent) {
    SpanContext remote =
        SpanContext.createFromRemoteParent(
            parent.traceId(),
            parent.parentSpanId().orElseGet(Tracing::randomSpanId),
            parent.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(),
            TraceState.getDefault());
    return Context.current().with(Span.wrap(remote)).makeCurrent();
  }

  /**
   * The trace id of the current span (in workflow or activity code: of the run), when there is one.
   */
  public static Optional<String> currentTraceId() {
    SpanContext current = Span.current().getSpanContext();
    return current.isValid() ? Optional.of(current.getTraceId()) : Optional.empty();
  }

  /**
   * The current span as the parent of something this process emits (an event's {@code trace_id}),
   * so the consumer's trace continues this one.
   */
  public static Optional<TraceParent> currentTraceParent() {
    SpanContext current = Span.current().getSpanContext();
    return current.isValid()
        ? Optional.of(
            new TraceParent(
                current.getTraceId(), Optional.of(current.getSpanId()), current.isSampled()))
        : Optional.empty();
  }

  /** Flushes and stops the exporter (waits up to 10 s). */
  @Override
  public void close() {
    sdk.ifPresent(s -> s.shutdown().join(10, TimeUnit.SECONDS));
  }

  /** OTEL_EXPORTER_OTLP_ENDPOINT → otel.exporter.otlp.endpoint, the SDK's property form. */
  static String propertyName(String variable) {
    return variable.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  private static String randomSpanId() {
    byte[] bytes = new byte[8];
    do {
      RANDOM.nextBytes(bytes);
    } while (allZero(bytes));
    return HexFormat.of().formatHex(bytes);
  }

  private static boolean allZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
