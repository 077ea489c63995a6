package io.bptemporal.observability.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthRegistryTest {
  private final HealthRegistry registry = new HealthRegistry(Duration.ofMillis(300));

  @AfterEach
  void close() {
    registry.close();
  }

  @Test
  void readyWhenEveryCheckPasses() {
    registry
        .register("Temporal reachable", () -> CheckResult.healthy("SERVING"))
        .register("database reachable", () -> CheckResult.healthy("valid"));

    ReadinessReport report = registry.check();

    assertThat(report.ready()).isTrue();
    assertThat(report.failing()).isEmpty();
    assertThat(report.checks())
        .extracting(CheckOutcome::name)
        .containsExactly("Temporal reachable", "database reachable");
  }

  @Test
  void oneFailingCheckMakesTheProcessUnreadyAndIsNamed() {
    registry
        .register(
            "Temporal reachable", () -> CheckResult.unhealthy("UNAVAILABLE: connection refused"))
        .register("worker polling", () -> CheckResult.healthy("polling"));

    ReadinessReport report = registry.check();

    assertThat(report.ready()).isFalse();
    assertThat(report.failing()).containsExactly("Temporal reachable");
    assertThat(report.checks().getFirst().detail()).isEqualTo("UNAVAILABLE: connection refused");
  }

  @Test
  void aThrowingProbeIsUnhealthyWithTheExceptionAsDetail() {
    registry.register(
        "database reachable",
        () -> {
          throw new java.sql.SQLException("Connection to 10.0.0.5:5432 refused");
        });

    ReadinessReport report = registry.check();

    assertThat(report.failing()).containsExactly("database reachable");
    assertThat(report.checks().getFirst().detail())
        .isEqualTo("SQLException: Connection to 10.0.0.5:5432 refused");
  }

  @Test
  void aHangingProbeFailsAfterTheTimeoutWithoutHoldingUpTheOthers() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    registry
        .register(
            "hangs",
            () -> {
              never.await();
              return CheckResult.healthy("unreachable");
            })
        .register("fast", () -> CheckResult.healthy("ok"));

    long started = System.nanoTime();
    ReadinessReport report = registry.check();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(report.failing()).containsExactly("hangs");
    assertThat(report.checks().getFirst().detail()).isEqualTo("no answer within 300 ms");
    assertThat(took).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void checksAreEvaluatedAgainOnEveryCall() {
    AtomicBoolean up = new AtomicBoolean(false);
    registry.register(
        "flips", () -> up.get() ? CheckResult.healthy("up") : CheckResult.unhealthy("down"));

    assertThat(registry.check().ready()).isFalse();
    up.set(true);
    assertThat(registry.check().ready()).isTrue();
  }

  @Test
  void namesAreUniqueAndNotBlank() {
    registry.register("worker polling", () -> CheckResult.healthy("ok"));

    assertThatThrownBy(
            () -> registry.register("worker polling", () -> CheckResult.healthy("again")))
        .hasMessage("a readiness check named 'worker polling' is already registered");
    assertThatThrownBy(() -> registry.register(" ", () -> CheckResult.healthy("x")))
        .hasMessageContaining("needs a name");
  }

  @Test
  void unregisteredChecksNoLongerCount() {
    registry.register("still running", () -> CheckResult.healthy("up"));
    registry.register("stopped on purpose", () -> CheckResult.unhealthy("stopped"));

    assertThat(registry.unregister("stopped on purpose")).isTrue();
    assertThat(registry.check().ready()).isTrue();
    assertThat(registry.unregister("stopped on purpose")).isFalse();
  }

  @Test
  void notReadyWhileNoCheckIsRegistered() {
    ReadinessReport report = new HealthRegistry(Duration.ofMillis(300)).check();

    assertThat(report.ready()).isFalse();
    assertThat(report.checks())
        .singleElement()
        .satisfies(c -> assertThat(c.name()).isEqualTo(HealthRegistry.STARTING));
  }
}
