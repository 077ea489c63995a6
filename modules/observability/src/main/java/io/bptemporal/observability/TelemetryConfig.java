package io.bptemporal.observability;

import io.bptemporal.observability.config.Environment;
import io.bptemporal.observability.logging.LogFormat;
import io.bptemporal.observability.logging.LogLevel;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The observability part of a process's environment contract (docs/operations/configuration.md),
 * read once at start-up. The Temporal namespace and task queue are not read here: the process's own
 * configuration owns {@code TEMPORAL_NAMESPACE}/{@code TEMPORAL_TASK_QUEUE} and hands the effective
 * values over with {@link #withWorkerTags}, so the two can never disagree on a default.
 *
 * @param service value of the {@code service} tag on every metric and the default OpenTelemetry
 *     service name, e.g. {@code order-saga-worker}
 * @param managementPort port of /metrics, /healthz, /readyz ({@code MANAGEMENT_PORT}); 0 picks a
 *     free port
 * @param logFormat {@code LOG_FORMAT}
 * @param logLevel {@code LOG_LEVEL}
 * @param otelSettings every {@code OTEL_*} variable as given, handed to the OpenTelemetry SDK's
 *     autoconfiguration
 * @param namespace value of the {@code namespace} tag, when the process runs against one namespace
 * @param taskQueue value of the {@code task_queue} tag, when the process polls one task queue
 */
public record TelemetryConfig(
    String service,
    int managementPort,
    LogFormat logFormat,
    LogLevel logLevel,
    Map<String, String> otelSettings,
    Optional<String> namespace,
    Optional<String> taskQueue) {

  public static final int DEFAULT_MANAGEMENT_PORT = 9464;
  // Prometheus label values may be anything, but a service name doubles as a Kubernetes-style
  // identifier.
  private static final Pattern SERVICE = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?");

  public TelemetryConfig {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(logFormat, "logFormat");
    Objects.requireNonNull(logLevel, "logLevel");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(taskQueue, "taskQueue");
    if (!SERVICE.matcher(service).matches()) {
      throw new IllegalArgumentException(
          "service name '"
              + service
              + "' is not accepted: use lower-case letters, "
              + "digits, '-' and '.', 1-63 characters, starting and ending with a letter or digit");
    }
    if (managementPort < 0 || managementPort > 65535) {
      throw new IllegalArgumentException(
          "managementPort " + managementPort + " is outside 0-65535");
    }
    otelSettings = Collections.unmodifiableMap(new TreeMap<>(otelSettings));
  }

  /**
   * Reads {@code MANAGEMENT_PORT}, {@code LOG_FORMAT}, {@code LOG_LEVEL} and every {@code OTEL_*}
   * variable from the process's one {@link Environment}. A value that cannot be used is added to
   * its problems (naming the variable, the value and what is accepted) and replaced by the default
   * here; the process's {@link Environment#validate()} then reports every problem of every part of
   * its configuration at once.
   *
   * @param env the process's environment
   * @param service the process's service name
   */
  public static TelemetryConfig fromEnvironment(Environment env, String service) {
    int port = DEFAULT_MANAGEMENT_PORT;
    Optional<String> rawPort = env.optional("MANAGEMENT_PORT");
    if (rawPort.isPresent()) {
      try {
        port = Integer.parseInt(rawPort.get());
        if (port < 0 || port > 65535) {
          env.problem(
              "MANAGEMENT_PORT='"
                  + rawPort.get()
                  + "' is outside 0-65535 (0 picks a free port; default "
                  + DEFAULT_MANAGEMENT_PORT
                  + ")");
          port = DEFAULT_MANAGEMENT_PORT;
        }
      } catch (NumberFormatException e) {
        env.problem(
            "MANAGEMENT_PORT='"
                + rawPort.get()
                + "' is not a port number; accepted: 0-65535 "
                + "(0 picks a free port; default "
                + DEFAULT_MANAGEMENT_PORT
                + ")");
      }
    }
    LogFormat format =
        env.optional("LOG_FORMAT")
            .map(
                raw ->
                    LogFormat.parse(raw)
                        .orElseGet(
                            () -> {
                              env.problem(
                                  "LOG_FORMAT='"
                                      + raw
                                      + "' is not accepted; use json or text (default text)");
                              return LogFormat.TEXT;
                            }))
            .orElse(LogFormat.TEXT);
    LogLevel level =
        env.optional("LOG_LEVEL")
            .map(
                raw ->
                    LogLevel.parse(raw)
                        .orElseGet(
                            () -> {
                              env.problem(
                                  "LOG_LEVEL='"
                                      + raw
                                      + "' is not accepted; use one of "
                                      + LogLevel.names()
                                      + " (default INFO)");
                              return LogLevel.INFO;
                            }))
            .orElse(LogLevel.INFO);
    Map<String, String> otel = new TreeMap<>();
    for (String name : OTEL_VARIABLES_READ) {
      env.optional(name).ifPresent(v -> otel.put(name, v));
    }
    if (!SERVICE.matcher(service).matches()) {
      // A programming error, not an operator's: the service name is a constant of the process.
      throw new IllegalArgumentException(
          "service name '"
              + service
              + "' is not accepted: lower-case letters, digits, "
              + "'-' and '.', 1-63 characters");
    }
    return new TelemetryConfig(
        service, port, format, level, otel, Optional.empty(), Optional.empty());
  }

  /**
   * {@link #fromEnvironment(Environment, String)} alone, validated: for tests and tools without
   * more configuration.
   */
  public static TelemetryConfig fromEnvironment(
      java.util.function.Function<String, String> environment, String service) {
    Environment env = Environment.of(environment);
    TelemetryConfig config = fromEnvironment(env, service);
    env.validate();
    return config;
  }

  /**
   * Like the record's own, but OTLP headers (they carry collector credentials) are shown as {@code
   * ***}.
   */
  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>(otelSettings);
    shown.replaceAll(
        (name, value) -> name.endsWith("_HEADERS") || name.endsWith("_CLIENT_KEY") ? "***" : value);
    return "TelemetryConfig[service="
        + service
        + ", managementPort="
        + managementPort
        + ", logFormat="
        + logFormat
        + ", logLevel="
        + logLevel
        + ", otelSettings="
        + shown
        + ", namespace="
        + namespace
        + ", taskQueue="
        + taskQueue
        + "]";
  }

  /**
   * The same settings with the {@code namespace} and {@code task_queue} tags of a worker process.
   */
  public TelemetryConfig withWorkerTags(String namespace, String taskQueue) {
    requireText(namespace, "namespace");
    requireText(taskQueue, "taskQueue");
    return new TelemetryConfig(
        service,
        managementPort,
        logFormat,
        logLevel,
        otelSettings,
        Optional.of(namespace),
        Optional.of(taskQueue));
  }

  /** The same settings with another management port (tests use 0: any free port). */
  public TelemetryConfig withManagementPort(int port) {
    return new TelemetryConfig(
        service, port, logFormat, logLevel, otelSettings, namespace, taskQueue);
  }

  /**
   * Tracing is on when {@code OTEL_TRACES_EXPORTER} names an exporter other than {@code none} and
   * {@code OTEL_SDK_DISABLED} is not {@code true}; otherwise spans are no-ops (trace context still
   * flows).
   */
  public boolean tracingEnabled() {
    String exporter =
        otelSettings.getOrDefault("OTEL_TRACES_EXPORTER", "none").strip().toLowerCase(Locale.ROOT);
    boolean disabled =
        "true".equalsIgnoreCase(otelSettings.getOrDefault("OTEL_SDK_DISABLED", "false").strip());
    return !disabled && !exporter.isEmpty() && !exporter.equals("none");
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }

  /**
   * The standard variables of the OpenTelemetry SDK autoconfiguration that apply to traces and
   * resources. Only these are forwarded: the function form of the environment cannot be listed, and
   * metrics/logs go through Prometheus and stdout instead of OTLP.
   */
  private static final List<String> OTEL_VARIABLES_READ =
      List.of(
          "OTEL_SDK_DISABLED",
          "OTEL_SERVICE_NAME",
          "OTEL_RESOURCE_ATTRIBUTES",
          "OTEL_PROPAGATORS",
          "OTEL_TRACES_EXPORTER",
          "OTEL_TRACES_SAMPLER",
          "OTEL_TRACES_SAMPLER_ARG",
          "OTEL_EXPORTER_OTLP_ENDPOINT",
          "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
          "OTEL_EXPORTER_OTLP_PROTOCOL",
          "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
          "OTEL_EXPORTER_OTLP_HEADERS",
          "OTEL_EXPORTER_OTLP_TRACES_HEADERS",
          "OTEL_EXPORTER_OTLP_TIMEOUT",
          "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT",
          "OTEL_EXPORTER_OTLP_COMPRESSION",
          "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION",
          "OTEL_EXPORTER_OTLP_CERTIFICATE",
          "OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE",
          "OTEL_EXPORTER_OTLP_CLIENT_KEY",
          "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE",
          "OTEL_BSP_SCHEDULE_DELAY",
          "OTEL_BSP_MAX_QUEUE_SIZE",
          "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
          "OTEL_BSP_EXPORT_TIMEOUT",
          "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT",
          "OTEL_SPAN_EVENT_COUNT_LIMIT",
          "OTEL_SPAN_LINK_COUNT_LIMIT",
          "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT");

  /** The names of the OTEL_* variables this configuration forwards (documented in metrics.md). */
  public static List<String> forwardedOtelVariables() {
    return OTEL_VARIABLES_READ;
  }
}
