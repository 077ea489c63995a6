package io.bptemporal.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.devstack.junit.StackSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The provider chain of ADR 0001: environment, then local binaries, then Testcontainers. */
class StackSourceTest {

  @Test
  void environmentWinsOverEverything() {
    var choice =
        StackSource.choose(
            Map.of("TEMPORAL_ADDRESS", "10.0.0.5:7233")::get, () -> true, () -> true);
    assertThat(choice.source()).isEqualTo(StackSource.ENVIRONMENT);
    assertThat(choice.reason()).contains("TEMPORAL_ADDRESS=10.0.0.5:7233");
  }

  @Test
  void localBinariesComeBeforeDocker() {
    var docker = new boolean[] {false};
    var choice = StackSource.choose(name -> null, () -> true, () -> docker[0] = true);
    assertThat(choice.source()).isEqualTo(StackSource.LOCAL_BINARIES);
    assertThat(docker[0]).as("Docker is not even probed when binaries exist").isFalse();
  }

  @Test
  void dockerIsTheLastResort() {
    assertThat(StackSource.choose(name -> null, () -> false, () -> true).source())
        .isEqualTo(StackSource.TESTCONTAINERS);
  }

  @Test
  void nothingAvailableNamesTheBootstrapCommand() {
    assertThatThrownBy(() -> StackSource.choose(name -> null, () -> false, () -> false))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("run scripts/bootstrap");
  }
}
