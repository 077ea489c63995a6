package io.bptemporal.systemtests.chart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The renders most assertions run over: every ci/ scenario, and every overlay stacked on its base
 * scenario.
 */
final class RenderCases {

  private RenderCases() {}

  static ChartUnderTest chart() {
    return ChartUnderTest.get();
  }

  static Path scenarioFile(String fileName) {
    return chart().chartSource().resolve("ci").resolve(fileName);
  }

  /** A scenario rendered as on a cluster with the Prometheus Operator CRDs. */
  static RenderRequest scenario(String fileName) {
    return RenderRequest.of(scenarioFile(fileName)).withMonitoringApi();
  }

  static RenderedManifest render(RenderRequest request) {
    return chart().render(request);
  }

  static RenderedManifest minimal() {
    return render(RenderRequest.of(scenarioFile("01-minimal-values.yaml")));
  }

  /** (label, request, values files) for every scenario and every stacked overlay. */
  static Stream<Arguments> scenariosAndOverlays() {
    List<Arguments> cases = new ArrayList<>();
    Path chartDir = chart().chartSource();
    for (Path scenario : chart().scenarios()) {
      cases.add(
          Arguments.of(
              chartDir.relativize(scenario).toString(),
              RenderRequest.of(scenario).withMonitoringApi()));
    }
    for (Path overlay : chart().overlays()) {
      Path base = chart().overlayBase(overlay);
      cases.add(
          Arguments.of(
              chartDir.relativize(base) + " + " + chartDir.relativize(overlay),
              RenderRequest.of(base, overlay).withMonitoringApi()));
    }
    return cases.stream();
  }
}
