package io.bptemporal.systemtests.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Optional features: off by default, rendered when switched on (with the CRD API present where one
 * is needed), absent again when explicitly switched off.
 */
class ToggleTest {

  private static final RenderRequest MINIMAL =
      RenderRequest.of(RenderCases.scenarioFile("01-minimal-values.yaml"));

  @ParameterizedTest(name = "observability.{0} -> {1}")
  @CsvSource({
    "serviceMonitor, ServiceMonitor, 4",
    "podMonitor, PodMonitor, 2",
    "prometheusRule, PrometheusRule, 1"
  })
  void prometheusOperatorKindsAreOptInAndNeedTheApi(String toggle, String kind, int expected) {
    String flag = "observability." + toggle + ".enabled";
    assertThat(count(MINIMAL.withMonitoringApi(), kind)).as("default, API present").isZero();
    assertThat(count(MINIMAL.withMonitoringApi().set(flag + "=true"), kind))
        .as("opted in, API present")
        .isEqualTo(expected);
    assertThat(count(MINIMAL.set(flag + "=true"), kind))
        .as("opted in, cluster without monitoring.coreos.com/v1")
        .isZero();
    assertThat(count(MINIMAL.withMonitoringApi().set(flag + "=false"), kind))
        .as("explicitly off, API present")
        .isZero();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "observability.dashboards.enabled, ConfigMap, bp-temporal-dashboards",
    "networkPolicy.enabled, NetworkPolicy, bp-temporal-default-deny",
    "postgres.cnpg.backup.enabled, ScheduledBackup, bp-temporal-pg-daily",
    "workers.orderSaga.autoscaling.enabled, HorizontalPodAutoscaler, bp-temporal-order-saga-worker",
    "workers.pipeline.autoscaling.enabled, HorizontalPodAutoscaler, bp-temporal-pipeline-worker"
  })
  void optionalObjectsAreOffByDefaultOnWhenAskedOffWhenSaidSo(
      String flag, String kind, String name) {
    List<String> extra =
        flag.startsWith("postgres.cnpg.backup")
            ? List.of("postgres.cnpg.backup.objectStoreName=s3-store")
            : List.of();
    RenderRequest on =
        MINIMAL.withMonitoringApi().set(flag + "=true").set(extra.toArray(String[]::new));
    assertThat(RenderCases.render(MINIMAL.withMonitoringApi()).find(kind, name))
        .as("default")
        .isEmpty();
    assertThat(RenderCases.render(on).find(kind, name)).as("switched on").isPresent();
    assertThat(
            RenderCases.render(MINIMAL.withMonitoringApi().set(flag + "=false")).find(kind, name))
        .as("explicitly off")
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "workers.orderSaga, order-saga-worker",
    "workers.pipeline, pipeline-worker",
    "workers.activity, activity-worker",
    "scheduler, scheduler"
  })
  void processesCanBeSwitchedOffOneByOne(String path, String component) {
    String name = "bp-temporal-" + component;
    // The activity worker reads the scheduler's registry: without the scheduler it must be off too
    // (render error otherwise).
    RenderedManifest off =
        RenderCases.render(
            MINIMAL
                .set(path + ".enabled=false")
                .set(
                    path.equals("scheduler")
                        ? new String[] {"workers.activity.enabled=false"}
                        : new String[0]));
    for (String kind : List.of("Deployment", "Service", "ServiceAccount", "PodDisruptionBudget")) {
      assertThat(RenderCases.minimal().find(kind, name)).as(kind + " by default").isPresent();
      assertThat(off.find(kind, name)).as(kind + " when " + path + ".enabled=false").isEmpty();
    }
  }

  @ParameterizedTest(name = "tracing enabled={0}")
  @CsvSource({"false, none", "true, otlp"})
  void tracingSwitchesTheExporter(boolean enabled, String exporter) {
    RenderedManifest manifest =
        RenderCases.render(
            MINIMAL.set(
                "observability.tracing.enabled=" + enabled,
                "observability.tracing.otlpEndpoint=http://collector:4317"));
    for (RenderedManifest.RenderedObject deployment : manifest.processDeployments()) {
      assertThat(ProcessWorkloadTest.env(deployment, "OTEL_TRACES_EXPORTER"))
          .as(deployment.id())
          .isEqualTo(exporter);
    }
  }

  private static long count(RenderRequest request, String kind) {
    return RenderCases.render(request).ofKind(kind).size();
  }
}
