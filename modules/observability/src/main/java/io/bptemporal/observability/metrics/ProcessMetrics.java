package io.bptemporal.observability.metrics;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.tally.ScopeCloseException;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The process's metrics: one Prometheus registry with the common tags, JVM and process meters, and
 * the Temporal SDK's tally scope bridged into it. The platform's own meters are declared by the
 * process that records them, on {@link #registry()} (see {@link MetricNames} for the conventions
 * they follow).
 */
public final class ProcessMetrics implements AutoCloseable {
  /**
   * How often the SDK's tally scope hands counters and gauges to the registry. Prometheus scrapes
   * every 15-30 s, so one second keeps /metrics current without measurable cost.
   */
  public static final com.uber.m3.util.Duration TEMPORAL_REPORT_INTERVAL =
      com.uber.m3.util.Duration.ofSeconds(1);

  private final PrometheusMeterRegistry registry;
  private final List<MeterBinder> binders;
  private final Scope temporalScope;

  private ProcessMetrics(
      PrometheusMeterRegistry registry, List<MeterBinder> binders, Scope temporalScope) {
    this.registry = registry;
    this.binders = binders;
    this.temporalScope = temporalScope;
  }

  /**
   * @param commonTags tags on every meter ({@code service}, and {@code namespace}/{@code
   *     task_queue} for a worker); a meter's own tag of the same key wins, so SDK series keep their
   *     own namespace and task queue
   */
  public static ProcessMetrics start(Tags commonTags) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Filters must be in place before the first meter registers: they apply at registration only.
    registry.config().commonTags(commonTags).meterFilter(new LatencyHistograms());
    List<MeterBinder> binders =
        List.of(
            new JvmMemoryMetrics(),
            new JvmGcMetrics(),
            new JvmThreadMetrics(),
            new ClassLoaderMetrics(),
            new JvmInfoMetrics(),
            new ProcessorMetrics(),
            new UptimeMetrics(),
            new FileDescriptorMetrics());
    binders.forEach(b -> b.bindTo(registry));
    Scope scope =
        new RootScopeBuilder()
            .reporter(new MicrometerClientStatsReporter(registry))
            .reportEvery(TEMPORAL_REPORT_INTERVAL);
    return new ProcessMetrics(registry, binders, scope);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * For {@code WorkflowServiceStubsOptions.Builder.setMetricsScope}; workers inherit it from the
   * stubs.
   */
  public Scope temporalScope() {
    return temporalScope;
  }

  /** Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    // Closing the scope reports what it still holds, so the last counts reach the registry first.
    try {
      temporalScope.close();
    } catch (ScopeCloseException e) {
      // Only the final report is lost; the registry below is closed regardless.
      LoggerFactory.getLogger(ProcessMetrics.class)
          .warn("closing the Temporal metrics scope: {}", e.toString());
    }
    for (MeterBinder binder : binders) {
      if (binder instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          // A binder that cannot unregister its JMX listener leaks nothing the JVM exit would not
          // free.
        }
      }
    }
    registry.close();
  }
}
