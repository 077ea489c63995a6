package io.bptemporal.observability.logging;

import java.util.Locale;
import java.util.Set;

/**
 * Names of the MDC fields the platform puts on log lines, and the one rule that turns any MDC key
 * into a field name: snake_case. The Temporal SDK writes its own MDC keys in CamelCase ({@code
 * WorkflowId}, {@code TaskQueue}); normalizing them lets a log query use one field name whichever
 * code set it.
 */
public final class LogFields {
  public static final String WORKFLOW_ID = "workflow_id";
  public static final String RUN_ID = "run_id";
  public static final String WORKFLOW_TYPE = "workflow_type";
  public static final String NAMESPACE = "namespace";
  public static final String TASK_QUEUE = "task_queue";
  public static final String ACTIVITY_TYPE = "activity_type";
  public static final String ACTIVITY_ID = "activity_id";
  public static final String ATTEMPT = "attempt";
  public static final String TRACE_ID = "trace_id";
  public static final String SPAN_ID = "span_id";

  /**
   * Fields every JSON line has; an MDC key with one of these names is written with an {@code mdc_}
   * prefix.
   */
  static final Set<String> STANDARD =
      Set.of("timestamp", "level", "logger", "thread", "message", "exception", "service");

  private LogFields() {}

  /**
   * {@code WorkflowId} → {@code workflow_id}; {@code trace_id} stays; {@code HTTPStatus} → {@code
   * http_status}.
   */
  public static String snakeCase(String key) {
    StringBuilder out = new StringBuilder(key.length() + 4);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isUpperCase(c)) {
        boolean afterLowerOrDigit =
            i > 0
                && (Character.isLowerCase(key.charAt(i - 1))
                    || Character.isDigit(key.charAt(i - 1)));
        boolean endsAcronym =
            i > 0
                && Character.isUpperCase(key.charAt(i - 1))
                && i + 1 < key.length()
                && Character.isLowerCase(key.charAt(i + 1));
        if ((afterLowerOrDigit || endsAcronym) && out.charAt(out.length() - 1) != '_') {
          out.append('_');
        }
        out.append(Character.toLowerCase(c));
      } else if (c == '-' || c == '.' || c == ' ') {
        out.append('_');
      } else {
        out.append(c);
      }
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }

  /**
   * The JSON field name of an MDC key: snake_case, prefixed when it would shadow a standard field.
   */
  static String fieldName(String mdcKey) {
    String name = snakeCase(mdcKey);
    return STANDARD.contains(name) ? "mdc_" + name : name;
  }
}
