package io.bptemporal.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultMatrixTest {

  @Test
  void aLineNamesTheScenarioTheFaultsByKindAndWhatWasCounted() {
    Map<String, Integer> injected = new LinkedHashMap<>();
    injected.put("worker kills", 10);
    injected.put("temporal restarts", 2);
    injected.put("postgres restarts", 1);

    assertThat(FaultMatrix.line("order-saga", injected, 200, 0, 0, 12.34, 301.6))
        .isEqualTo(
            "faults: scenario=order-saga injected=13 (worker kills=10, temporal restarts=2,"
                + " postgres restarts=1) workflows=200 lost=0 duplicated=0 recovery_seconds=12.3"
                + " seconds=302");
  }

  @Test
  void recordAppendsEachLineToTheFileTheSuiteNames(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("faults/matrix.txt");
    String previous = System.setProperty(FaultMatrix.FILE_PROPERTY, file.toString());
    try {
      FaultMatrix.record("faults: scenario=a");
      FaultMatrix.record("faults: scenario=b");
    } finally {
      if (previous == null) {
        System.clearProperty(FaultMatrix.FILE_PROPERTY);
      } else {
        System.setProperty(FaultMatrix.FILE_PROPERTY, previous);
      }
    }
    assertThat(Files.readAllLines(file))
        .containsExactly("faults: scenario=a", "faults: scenario=b");
  }
}
