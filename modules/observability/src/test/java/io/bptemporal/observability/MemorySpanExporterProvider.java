package io.bptemporal.observability;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/**
 * {@code OTEL_TRACES_EXPORTER=memory} in tests: the OpenTelemetry autoconfiguration finds this
 * provider through the ServiceLoader, exactly as it finds the OTLP exporter in production, and
 * spans land in {@link #SPANS}. Shutdown of one Telemetry must not wipe spans another test still
 * reads, hence the wrapper that ignores it.
 */
public final class MemorySpanExporterProvider implements ConfigurableSpanExporterProvider {
  public static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();

  @Override
  public SpanExporter createExporter(ConfigProperties config) {
    return new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        return SPANS.export(spans);
      }

      @Override
      public CompletableResultCode flush() {
        return SPANS.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
  }

  @Override
  public String getName() {
    return "memory";
  }
}
