package io.bptemporal.systemtests.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.bptemporal.observability.metrics.CounterFamily;
import io.bptemporal.observability.metrics.DurationHistogram;
import io.bptemporal.observability.metrics.LongGauge;
import io.bptemporal.observability.metrics.ProcessMetrics;
import io.bptemporal.observability.metrics.WorkflowMetrics;
import io.bptemporal.ordersaga.workflow.OrderSagaMetrics;
import io.bptemporal.pipeline.etl.PipelineMetrics;
import io.bptemporal.pipeline.etl.PipelineRowOutcome;
import io.bptemporal.router.decode.DeadLetterReason;
import io.bptemporal.router.deliver.DeliveryResult;
import io.bptemporal.router.metrics.RecordOutcome;
import io.bptemporal.router.metrics.RetryCause;
import io.bptemporal.router.metrics.RouterMetrics;
import io.bptemporal.router.relay.OutboxSource;
import io.bptemporal.router.relay.RelayFailure;
import io.bptemporal.router.relay.RelayMetrics;
import io.bptemporal.scheduler.plan.Plan;
import io.bptemporal.scheduler.reconcile.PassResult;
import io.bptemporal.scheduler.run.PlatformReconcileMetrics;
import io.micrometer.core.instrument.Tags;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The platform's own metrics ({@code source: platform} in docs/operations/metrics-catalog.yaml) are
 * declared by the modules of the processes that record them (the shared observability module holds
 * only the registry and the conventions), so this check lives here, where every module is on the
 * classpath:
 *
 * <ul>
 *   <li>every {@code bp_} metric name a production class declares is catalogued, and every platform
 *       entry is declared by some class;
 *   <li>every class that declares platform meters is one this test records through;
 *   <li>what each process's metrics class puts on a real Prometheus registry, with that process's
 *       common tags, has the catalogued type and carries the catalogued labels on every series, and
 *       nothing else {@code bp_} appears.
 * </ul>
 *
 * MetricsCatalogIT (observability) does the same for the sdk, jvm and server entries against a
 * running stack.
 */
class PlatformMetricsCatalogTest {
  /**
   * A metric name constant: the conventions' {@code bp_} prefix and snake_case ({@code
   * MetricNames}).
   */
  private static final Pattern METRIC_NAME = Pattern.compile("bp_[a-z][a-z0-9_]*[a-z0-9]");

  /**
   * The observability module's declaration points; any class using them declares platform meters.
   */
  private static final Set<Class<?>> DECLARATION_POINTS =
      Set.of(CounterFamily.class, DurationHistogram.class, LongGauge.class, WorkflowMetrics.class);

  /** The classes this test records through ({@link #exposedPlatformFamilies()}). */
  private static final Set<Class<?>> EXERCISED =
      Set.of(
          PipelineMetrics.class,
          PlatformReconcileMetrics.class,
          OrderSagaMetrics.class,
          RouterMetrics.class,
          RelayMetrics.class);

  private static JavaClasses production;
  private final MetricsCatalog catalog = MetricsCatalog.load();

  @BeforeAll
  static void importProductionClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.bptemporal");
  }

  @Test
  void everyMetricNameInProductionCodeIsCataloguedAndEveryPlatformEntryIsDeclared()
      throws Exception {
    Map<String, String> declared = new TreeMap<>();
    for (JavaClass c : production) {
      for (JavaField f : c.getFields()) {
        if (f.getModifiers()
                .containsAll(Set.of(JavaModifier.PUBLIC, JavaModifier.STATIC, JavaModifier.FINAL))
            && f.getRawType().isEquivalentTo(String.class)) {
          Object value = f.reflect().get(null);
          if (value instanceof String name && METRIC_NAME.matcher(name).matches()) {
            declared.put(name, c.getName() + "." + f.getName());
          }
        }
      }
    }
    Set<String> catalogued = new TreeSet<>();
    catalog.from("platform").forEach(e -> catalogued.add(e.name()));

    assertThat(declared)
        .as("the import found the modules' metric names")
        .containsKey(PipelineMetrics.PIPELINE_ROWS);
    assertThat(declared.keySet())
        .as(
            "bp_ names declared in code (%s) vs platform entries of %s",
            declared, MetricsCatalog.FILE)
        .containsExactlyInAnyOrderElementsOf(catalogued);
  }

  @Test
  void everyClassDeclaringPlatformMetersIsExercisedHere() {
    Set<String> declaring = new TreeSet<>();
    for (JavaClass c : production) {
      if (c.getPackageName().startsWith("io.bptemporal.observability")) {
        continue;
      }
      boolean declares =
          c.getMethodCallsFromSelf().stream()
              .anyMatch(
                  call ->
                      DECLARATION_POINTS.stream()
                          .anyMatch(point -> call.getTargetOwner().isEquivalentTo(point)));
      if (declares) {
        // A lambda or inner class counts for the class it belongs to.
        declaring.add(c.getName().replaceAll("\\$.*", ""));
      }
    }
    Set<String> exercised = new TreeSet<>();
    EXERCISED.forEach(c -> exercised.add(c.getName()));

    assertThat(declaring)
        .as("classes declaring platform meters; add a new one to EXERCISED and record through it")
        .isEqualTo(exercised);
  }

  @Test
  void whatTheProcessesExposeMatchesTheCatalog() throws Exception {
    Map<String, Family> exposed = exposedPlatformFamilies();
    List<String> problems = new ArrayList<>();
    for (MetricsCatalog.Entry entry : catalog.from("platform")) {
      Family family = exposed.get(entry.name());
      if (family == null) {
        problems.add(entry.name() + ": not exposed by any process's metrics class");
        continue;
      }
      if (!family.type().equals(entry.type())) {
        problems.add(
            entry.name() + ": catalogued as " + entry.type() + ", exposed as " + family.type());
      }
      List<String> missing =
          entry.labels().stream().filter(l -> !family.labelsOnEverySeries().contains(l)).toList();
      if (!missing.isEmpty()) {
        problems.add(
            entry.name()
                + ": labels "
                + missing
                + " not on every series of "
                + family.process()
                + "; every series has "
                + family.labelsOnEverySeries());
      }
    }
    exposed.keySet().stream()
        .filter(name -> catalog.typeByName().get(name) == null)
        .forEach(
            name ->
                problems.add(
                    name + ": exposed by " + exposed.get(name).process() + " but not catalogued"));

    assertThat(exposed).as("bp_ families exposed").isNotEmpty();
    assertThat(problems).as("platform metrics that differ from " + MetricsCatalog.FILE).isEmpty();
  }

  /**
   * A metric family as Prometheus exposes it: its name and type, and the label names on every
   * series.
   */
  private record Family(
      String name, String type, Set<String> labelsOnEverySeries, String process) {}

  /**
   * Each process's metrics class recording on a registry with that process's common tags
   * (Telemetry's: service, and namespace/task_queue on a worker), read back as Prometheus families.
   */
  private static Map<String, Family> exposedPlatformFamilies() throws Exception {
    Map<String, Family> families = new TreeMap<>();
    record(
        families,
        Tags.of(
            "service", "pipeline-worker", "namespace", "pipelines", "task_queue", "pipelines-tq"),
        metrics -> {
          PipelineMetrics pipeline = new PipelineMetrics(metrics.registry());
          pipeline.rows(PipelineRowOutcome.LOADED, 10);
        });
    record(
        families,
        Tags.of("service", "scheduler"),
        metrics -> {
          PlatformReconcileMetrics scheduler = new PlatformReconcileMetrics(metrics.registry());
          scheduler.leader(true);
          scheduler.pass(
              new PassResult(
                  new Plan(Instant.now(), List.of()),
                  List.of(),
                  Map.of(),
                  1,
                  2,
                  Duration.ofMillis(120),
                  Map.of(),
                  0,
                  0));
        });
    record(
        families,
        Tags.of("service", "order-saga-worker", "namespace", "orders", "task_queue", "orders-tq"),
        metrics -> {
          // Workflow code counts through the workflow's scope, which the SDK tags with the workflow
          // type
          // (and its namespace and task queue, here already common tags).
          OrderSagaMetrics.compensation(
              metrics.temporalScope().tagged(Map.of("workflow_type", "OrderSaga")),
              "refund-payment");
          try {
            metrics.temporalScope().close(); // reports now, not within the next second
          } catch (Exception e) {
            throw new AssertionError("closing the Temporal scope", e);
          }
        });
    record(
        families,
        Tags.of("service", "event-router"),
        metrics -> {
          RouterMetrics router = new RouterMetrics(metrics.registry());
          router.record(RecordOutcome.ROUTED);
          router.request(DeliveryResult.STARTED);
          router.deadLettered(DeadLetterReason.NOT_JSON);
          router.retry(RetryCause.TEMPORAL_UNAVAILABLE);
          router.lag("bp.events", 0, 12);
          router.routes(3, 1);
          router.recordDuration(Duration.ofMillis(15));
          RelayMetrics relay = new RelayMetrics(metrics.registry());
          relay.published(OutboxSource.ACTIVITY, 3);
          relay.failure(RelayFailure.BROKER);
          relay.backlog(OutboxSource.ORDERS, 7, Duration.ofSeconds(4));
          relay.held(OutboxSource.ACTIVITY, 1);
          relay.batchDuration(Duration.ofMillis(12));
        });
    return families;
  }

  private static void record(
      Map<String, Family> families, Tags commonTags, Consumer<ProcessMetrics> recording) {
    try (ProcessMetrics metrics = ProcessMetrics.start(commonTags)) {
      recording.accept(metrics);
      String process =
          commonTags.stream()
              .filter(t -> t.getKey().equals("service"))
              .findFirst()
              .orElseThrow()
              .getValue();
      for (MetricSnapshot snapshot : metrics.registry().getPrometheusRegistry().scrape()) {
        String name = snapshot.getMetadata().getPrometheusName();
        String type =
            switch (snapshot) {
              case CounterSnapshot c -> "counter";
              case GaugeSnapshot g -> "gauge";
              case HistogramSnapshot h -> "histogram";
              default -> snapshot.getClass().getSimpleName();
            };
        // The text format names a counter family with its _total suffix, as the catalog does.
        String family = type.equals("counter") ? name + "_total" : name;
        // Micrometer's per-timer _max gauge is documented as not catalogued (it cannot be
        // aggregated).
        if (!family.startsWith("bp_") || (family.endsWith("_max") && type.equals("gauge"))) {
          continue;
        }
        Set<String> common = null;
        for (DataPointSnapshot point : snapshot.getDataPoints()) {
          Set<String> labels = new TreeSet<>();
          for (Label label : point.getLabels()) {
            labels.add(label.getName());
          }
          if (common == null) {
            common = labels;
          } else {
            common.retainAll(labels);
          }
        }
        families.put(family, new Family(family, type, common == null ? Set.of() : common, process));
      }
    }
  }
}
