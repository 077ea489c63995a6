package io.bptemporal.observability.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bptemporal.observability.TelemetryConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The module's logback configurations applied to a fresh Logback context (the test JVM's own
 * context keeps logback-test.xml), with stdout captured: what a container's log collector would
 * read.
 */
class LoggingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void jsonFormatWritesOneParsableObjectPerLineWithContextFields() throws Exception {
    List<String> lines =
        logThrough(
            Map.of("LOG_FORMAT", "json"),
            logger -> {
              MDC.put("WorkflowId", "order-42"); // as the Temporal SDK writes it
              MDC.put(LogFields.WORKFLOW_ID, "order-42"); // as LogContextInterceptor writes it
              MDC.put(LogFields.TRACE_ID, "4bf92f3577b34da6a3ce929d0e0e4736");
              MDC.put("message", "an MDC key that would shadow the message");
              logger.info("charged {} cents", 1250);
              MDC.clear();
              logger
                  .atWarn()
                  .addKeyValue("orderId", "o-1")
                  .setCause(new IllegalStateException("payment declined"))
                  .log("compensating");
            });

    assertThat(lines).hasSize(2);
    JsonNode first = JSON.readTree(lines.get(0));
    assertThat(fieldNames(first))
        .containsExactly(
            "timestamp",
            "level",
            "logger",
            "thread",
            "message",
            "service",
            "mdc_message",
            "trace_id",
            "workflow_id");
    assertThat(first.get("timestamp").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(first.get("level").asText()).isEqualTo("INFO");
    assertThat(first.get("logger").asText()).isEqualTo("test.orders");
    assertThat(first.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
    assertThat(first.get("message").asText()).isEqualTo("charged 1250 cents");
    assertThat(first.get("service").asText()).isEqualTo("order-saga-worker");
    assertThat(first.get("workflow_id").asText()).isEqualTo("order-42");
    assertThat(first.get("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");

    JsonNode second = JSON.readTree(lines.get(1));
    assertThat(second.get("level").asText()).isEqualTo("WARN");
    assertThat(second.get("order_id").asText()).isEqualTo("o-1");
    assertThat(second.has("workflow_id")).isFalse();
    assertThat(second.get("exception").asText())
        .startsWith("java.lang.IllegalStateException: payment declined")
        .contains("at io.bptemporal.observability.logging.LoggingTest");
  }

  @Test
  void jsonEscapesQuotesAndNewlinesSoEveryEventStaysOneLine() throws Exception {
    List<String> lines =
        logThrough(
            Map.of("LOG_FORMAT", "json"),
            logger -> logger.info("row \"7\" rejected:\n  column 'amount' is negative"));

    assertThat(lines).hasSize(1);
    assertThat(JSON.readTree(lines.getFirst()).get("message").asText())
        .isEqualTo("row \"7\" rejected:\n  column 'amount' is negative");
  }

  @Test
  void textFormatIsReadableAndShowsTheContextInBraces() {
    List<String> lines =
        logThrough(
            Map.of(),
            logger -> {
              MDC.put("RunId", "run-1");
              MDC.put(LogFields.ACTIVITY_TYPE, "ChargePayment");
              logger.info("charging");
              MDC.clear();
              logger.info("outside workflow code");
            });

    assertThat(lines.get(0))
        .matches(
            "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[.+] test\\.orders "
                + "\\{activity_type=ChargePayment, run_id=run-1} - charging");
    assertThat(lines.get(1)).endsWith("test.orders - outside workflow code");
  }

  @Test
  void logLevelApplies() {
    List<String> lines =
        logThrough(
            Map.of("LOG_LEVEL", "WARN"),
            logger -> {
              logger.info("hidden");
              logger.warn("shown");
            });

    assertThat(lines).hasSize(1);
    assertThat(lines.getFirst()).contains("shown");
  }

  @Test
  void theTestClasspathsLogbackFileWinsOverTheModulesConfiguration() {
    assertThat(Logging.externalConfiguration())
        .hasValueSatisfying(v -> assertThat(v).endsWith("logback-test.xml"));
    TelemetryConfig config =
        TelemetryConfig.fromEnvironment(Map.of("LOG_FORMAT", "json")::get, "order-saga-worker");

    assertThat(Logging.configure(config)).isFalse();
  }

  @Test
  void snakeCaseOfMdcKeys() {
    assertThat(LogFields.snakeCase("WorkflowId")).isEqualTo("workflow_id");
    assertThat(LogFields.snakeCase("TaskQueue")).isEqualTo("task_queue");
    assertThat(LogFields.snakeCase("trace_id")).isEqualTo("trace_id");
    assertThat(LogFields.snakeCase("HTTPStatus")).isEqualTo("http_status");
    assertThat(LogFields.snakeCase("orderId")).isEqualTo("order_id");
    assertThat(LogFields.snakeCase("x-request-id")).isEqualTo("x_request_id");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> logThrough(
      Map<String, String> env, java.util.function.Consumer<Logger> body) {
    TelemetryConfig config = TelemetryConfig.fromEnvironment(env::get, "order-saga-worker");
    LoggerContext context = new LoggerContext();
    // SLF4J binds its MDC to the process's own context; a second context must share that adapter.
    context.setMDCAdapter(MDC.getMDCAdapter());
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    // ConsoleAppender writes through System.out at each event, so swapping the stream captures its
    // output.
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      Logging.apply(config, context);
      body.accept(context.getLogger("test.orders"));
    } finally {
      System.setOut(original);
      MDC.clear();
      context.stop();
    }
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }
}
