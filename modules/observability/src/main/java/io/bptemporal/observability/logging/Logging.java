package io.bptemporal.observability.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import io.bptemporal.observability.TelemetryConfig;
import java.net.URL;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code LOG_FORMAT} and {@code LOG_LEVEL} to Logback from the module's two configurations
 * ({@code io/bptemporal/observability/logback-json.xml}, {@code logback-text.xml}).
 *
 * <p>A logback.xml or logback-test.xml on the classpath, or {@code -Dlogback.configurationFile},
 * wins: tests keep their quiet logback-test.xml and an operator can still hand a process a file of
 * their own. This module ships no logback.xml itself, so it never shadows another module's
 * configuration.
 */
public final class Logging {
  static final String JSON_RESOURCE = "io/bptemporal/observability/logback-json.xml";
  static final String TEXT_RESOURCE = "io/bptemporal/observability/logback-text.xml";

  private Logging() {}

  /**
   * Configures the process's Logback context unless a configuration file already did.
   *
   * @return true when this call applied the module's configuration
   */
  public static boolean configure(TelemetryConfig config) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext context)) {
      // Another SLF4J backend is bound (the enforcer bans the usual ones, so this is a deliberate
      // choice).
      return false;
    }
    Optional<String> external = externalConfiguration();
    if (external.isPresent()) {
      LoggerFactory.getLogger(Logging.class)
          .debug("keeping the logging configuration from {}", external.get());
      return false;
    }
    apply(config, context);
    return true;
  }

  /** Replaces the configuration of {@code context} with the module's JSON or text configuration. */
  public static void apply(TelemetryConfig config, LoggerContext context) {
    String resource = config.logFormat() == LogFormat.JSON ? JSON_RESOURCE : TEXT_RESOURCE;
    URL url =
        Objects.requireNonNull(Logging.class.getClassLoader().getResource(resource), resource);
    long started = System.currentTimeMillis();
    context.reset();
    context.putProperty("BP_LOG_LEVEL", config.logLevel().name());
    context.putProperty("BP_SERVICE", config.service());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(url);
    } catch (JoranException e) {
      throw new IllegalStateException(
          "the logging configuration " + resource + " is broken: " + e.getMessage(), e);
    }
    List<Status> errors =
        context.getStatusManager().getCopyOfStatusList().stream()
            .filter(s -> s.getLevel() == Status.ERROR && s.getTimestamp() >= started)
            .toList();
    if (!errors.isEmpty()) {
      throw new IllegalStateException(
          "the logging configuration " + resource + " reported errors: " + errors);
    }
  }

  /**
   * The file Logback's own start-up would have used, looked up the way Logback does: the system
   * property first, then logback-test.xml and logback.xml on the classpath.
   */
  static Optional<String> externalConfiguration() {
    String property = System.getProperty("logback.configurationFile");
    if (property != null && !property.isBlank()) {
      return Optional.of(property);
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    for (ClassLoader l : new ClassLoader[] {loader, Logging.class.getClassLoader()}) {
      if (l == null) {
        continue;
      }
      for (String name : new String[] {"logback-test.xml", "logback.xml"}) {
        URL url = l.getResource(name);
        if (url != null) {
          return Optional.of(url.toString());
        }
      }
    }
    return Optional.empty();
  }
}
