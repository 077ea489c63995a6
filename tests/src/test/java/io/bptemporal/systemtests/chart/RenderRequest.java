package io.bptemporal.systemtests.chart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code helm template} call: values files in order (later ones win, lists replace), {@code
 * --set} overrides, and whether the cluster claims to serve {@code monitoring.coreos.com/v1}.
 */
record RenderRequest(List<Path> valuesFiles, List<String> sets, boolean monitoringApi) {

  RenderRequest {
    valuesFiles = List.copyOf(valuesFiles);
    sets = List.copyOf(sets);
  }

  static RenderRequest of(Path... valuesFiles) {
    return new RenderRequest(List.of(valuesFiles), List.of(), false);
  }

  RenderRequest withMonitoringApi() {
    return new RenderRequest(valuesFiles, sets, true);
  }

  RenderRequest set(String... assignments) {
    List<String> all = new ArrayList<>(sets);
    all.addAll(List.of(assignments));
    return new RenderRequest(valuesFiles, all, monitoringApi);
  }

  RenderRequest plus(Path values) {
    List<Path> all = new ArrayList<>(valuesFiles);
    all.add(values);
    return new RenderRequest(all, sets, monitoringApi);
  }
}
