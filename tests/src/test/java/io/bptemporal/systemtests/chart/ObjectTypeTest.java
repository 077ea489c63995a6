package io.bptemporal.systemtests.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rendered object binds to its Kubernetes type (Fabric8 model or the CRD records) with no
 * field left over.
 */
class ObjectTypeTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.bptemporal.systemtests.chart.RenderCases#scenariosAndOverlays")
  void everyObjectParsesAsItsTypeWithUnknownFieldsRejected(String label, RenderRequest request) {
    RenderedManifest manifest = RenderCases.render(request);
    List<String> problems =
        manifest.stream().flatMap(o -> KubernetesTypeCheck.problems(o).stream()).toList();
    assertThat(problems).as("type problems in " + label).isEmpty();
  }

  // The checks above only mean something if the checker rejects what the API server would reject.

  @Test
  void checkerRejectsAMisspeltFieldDeepInADeployment() {
    RenderedManifest.RenderedObject deployment = firstOfKind("Deployment");
    ObjectNode broken = deployment.body().deepCopy();
    ((ObjectNode) broken.at("/spec/template/spec/containers/0")).put("imagePullPolicyy", "Always");
    assertThat(
            KubernetesTypeCheck.problems(
                new RenderedManifest.RenderedObject(deployment.source(), broken)))
        .singleElement()
        .asString()
        .contains("unknown field", "imagePullPolicyy", "containers[0]");
  }

  @Test
  void checkerRejectsANumberWhereKubernetesWantsAString() {
    RenderedManifest.RenderedObject deployment = firstOfKind("Deployment");
    ObjectNode broken = deployment.body().deepCopy();
    ((ObjectNode) broken.at("/spec/template/spec/containers/0/env/0")).put("value", 7233);
    assertThat(
            KubernetesTypeCheck.problems(
                new RenderedManifest.RenderedObject(deployment.source(), broken)))
        .singleElement()
        .asString()
        .contains("does not parse as apps/v1/Deployment");
  }

  @Test
  void checkerRejectsAnUnknownFieldInACustomResource() {
    RenderedManifest.RenderedObject cluster = firstOfKind("Cluster");
    ObjectNode broken = cluster.body().deepCopy();
    ((ObjectNode) broken.at("/spec")).put("instancess", 3);
    assertThat(
            KubernetesTypeCheck.problems(
                new RenderedManifest.RenderedObject(cluster.source(), broken)))
        .singleElement()
        .asString()
        .contains("instancess");
  }

  @Test
  void checkerRejectsAnInvalidEnumerationInACustomResource() {
    RenderedManifest.RenderedObject database = firstOfKind("Database");
    ObjectNode broken = database.body().deepCopy();
    ((ObjectNode) broken.at("/spec")).put("databaseReclaimPolicy", "keep");
    assertThat(
            KubernetesTypeCheck.problems(
                new RenderedManifest.RenderedObject(database.source(), broken)))
        .singleElement()
        .asString()
        .contains("databaseReclaimPolicy", "keep", "retain");
  }

  @Test
  void checkerRefusesKindsItHasNoSchemaFor() {
    RenderedManifest.RenderedObject any = firstOfKind("ConfigMap");
    ObjectNode other = any.body().deepCopy();
    other.put("kind", "CronJob").put("apiVersion", "batch/v1");
    assertThat(
            KubernetesTypeCheck.problems(new RenderedManifest.RenderedObject(any.source(), other)))
        .singleElement()
        .asString()
        .contains("no type registered for batch/v1/CronJob");
  }

  private static RenderedManifest.RenderedObject firstOfKind(String kind) {
    return RenderCases.minimal().ofKind(kind).getFirst();
  }
}
