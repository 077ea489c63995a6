package io.bptemporal.systemtests.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hardening and hygiene on everything rendered: every container non-root, read-only root FS, no
 * privilege escalation, all capabilities dropped, seccomp RuntimeDefault; no plaintext secret; no
 * duplicate kind/name; recommended labels on the umbrella's objects. Upstream objects are included
 * whenever the subchart is present. Hardening covers every pod the release creates: {@code helm
 * install} plus the {@code helm test} command its notes print (see {@link HelmTestCommand}; {@link
 * HelmTestPodsTest} pins what that command leaves out).
 */
class WorkloadSecurityTest {

  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(password|passwd|secret|token|api_?key|private_?key).*");
  private static final Map<String, String> POD_SPEC_PATHS =
      Map.of(
          "Deployment",
          "/spec/template/spec",
          "StatefulSet",
          "/spec/template/spec",
          "DaemonSet",
          "/spec/template/spec",
          "Job",
          "/spec/template/spec",
          "CronJob",
          "/spec/jobTemplate/spec/template/spec",
          "Pod",
          "/spec");

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.bptemporal.systemtests.chart.RenderCases#scenariosAndOverlays")
  void everyContainerIsHardened(String label, RenderRequest request) {
    List<String> problems = new ArrayList<>();
    int containers = 0;
    Optional<HelmTestCommand> helmTest = HelmTestCommand.of(request);
    for (RenderedManifest.RenderedObject object : RenderCases.render(request).objects()) {
      String podPath = POD_SPEC_PATHS.get(object.kind());
      if (podPath == null || !helmTest.map(command -> command.creates(object)).orElse(true)) {
        continue;
      }
      JsonNode pod = object.at(podPath);
      JsonNode podContext = pod.path("securityContext");
      for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
        for (JsonNode container : pod.path(list)) {
          containers++;
          String where = object.id() + " " + list + "/" + container.path("name").asText();
          JsonNode ctx = container.path("securityContext");
          if (!effective(ctx, podContext, "runAsNonRoot").asBoolean(false)) {
            problems.add(where + ": runAsNonRoot is not true");
          }
          if (!ctx.path("readOnlyRootFilesystem").asBoolean(false)) {
            problems.add(where + ": readOnlyRootFilesystem is not true");
          }
          if (!ctx.path("allowPrivilegeEscalation").isBoolean()
              || ctx.path("allowPrivilegeEscalation").asBoolean()) {
            problems.add(where + ": allowPrivilegeEscalation is not false");
          }
          boolean dropsAll = false;
          for (JsonNode cap : ctx.path("capabilities").path("drop")) {
            dropsAll |= cap.asText().equals("ALL");
          }
          if (!dropsAll || ctx.path("capabilities").path("add").size() > 0) {
            problems.add(where + ": capabilities do not drop ALL (or add some back)");
          }
          if (!effective(ctx, podContext, "seccompProfile")
              .path("type")
              .asText()
              .equals("RuntimeDefault")) {
            problems.add(where + ": seccompProfile is not RuntimeDefault");
          }
          if (effective(ctx, podContext, "runAsUser").asInt(-1) == 0) {
            problems.add(where + ": runAsUser is 0");
          }
        }
      }
    }
    assertThat(containers).as("containers rendered in " + label).isPositive();
    assertThat(problems).as("hardening problems in " + label).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.bptemporal.systemtests.chart.RenderCases#scenariosAndOverlays")
  void noPlaintextSecrets(String label, RenderRequest request) {
    List<String> problems = new ArrayList<>();
    // The one kind of Secret the chart may render: a database role's account whose password it
    // generates. Such a
    // password differs between two renders (helm template cannot look up the live one); a value
    // from values would not.
    // (A second helm run: renders are cached per request, so this one carries an extra harmless
    // label.)
    RenderedManifest again = RenderCases.render(request.set("commonLabels.render-check=second"));
    for (RenderedManifest.RenderedObject object : RenderCases.render(request).objects()) {
      if (object.kind().equals("Secret")) {
        boolean generatedAccount =
            object.source().endsWith("templates/postgres-roles.yaml")
                && object.at("/type").asText().equals("kubernetes.io/basic-auth")
                && object.at("/data").isMissingNode()
                && fieldNames(object.at("/stringData"))
                    .equals(java.util.Set.of("username", "password"))
                && !object
                    .at("/stringData/password")
                    .asText()
                    .equals(again.get("Secret", object.name()).at("/stringData/password").asText());
        if (!generatedAccount) {
          problems.add(
              object.id()
                  + ": the chart renders a Secret; secrets are referenced (or generated for a database role),"
                  + " never rendered from values");
        }
      }
      if (object.kind().equals("ConfigMap")) {
        object
            .body()
            .path("data")
            .fieldNames()
            .forEachRemaining(
                key -> {
                  // A switch ("true"/"false") under a secret-like name holds no secret.
                  if (SECRET_NAME.matcher(key).matches()
                      && !object.body().path("data").path(key).asText().matches("true|false")) {
                    problems.add(object.id() + ": ConfigMap key " + key + " looks like a secret");
                  }
                });
      }
      String podPath = POD_SPEC_PATHS.get(object.kind());
      if (podPath == null) {
        continue;
      }
      for (String list : List.of("initContainers", "containers")) {
        for (JsonNode container : object.at(podPath).path(list)) {
          for (JsonNode env : container.path("env")) {
            String name = env.path("name").asText();
            // A *_FILE / *_DIR variable naming an absolute path points at a mounted Secret (e.g.
            // CODEC_SERVER_TOKEN_FILE): the path is not the secret.
            boolean pathToMountedFile =
                name.matches(".*_(FILE|DIR)")
                    && env.path("value").asText().startsWith("/")
                    && !env.path("value").asText().contains(" ");
            if (SECRET_NAME.matcher(name).matches()
                && env.has("value")
                && !env.path("value").asText().isEmpty()
                && !pathToMountedFile) {
              problems.add(
                  object.id()
                      + " "
                      + container.path("name").asText()
                      + ": env "
                      + name
                      + " is a literal value");
            }
          }
        }
      }
    }
    assertThat(problems).as("plaintext secrets in " + label).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.bptemporal.systemtests.chart.RenderCases#scenariosAndOverlays")
  void noTwoObjectsShareKindAndName(String label, RenderRequest request) {
    Map<String, String> seen = new HashMap<>();
    List<String> duplicates = new ArrayList<>();
    for (RenderedManifest.RenderedObject object : RenderCases.render(request).objects()) {
      String key =
          object.apiVersion().replaceAll("/.*", "") + "/" + object.kind() + "/" + object.name();
      String previous = seen.putIfAbsent(key, object.source());
      if (previous != null) {
        duplicates.add(key + " from " + previous + " and " + object.source());
      }
    }
    assertThat(duplicates).as("duplicate objects in " + label).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.bptemporal.systemtests.chart.RenderCases#scenariosAndOverlays")
  void umbrellaObjectsCarryTheRecommendedLabels(String label, RenderRequest request) {
    Set<String> required =
        Set.of(
            "app.kubernetes.io/name",
            "app.kubernetes.io/instance",
            "app.kubernetes.io/version",
            "app.kubernetes.io/component",
            "app.kubernetes.io/part-of",
            "app.kubernetes.io/managed-by",
            "helm.sh/chart");
    List<String> problems = new ArrayList<>();
    for (RenderedManifest.RenderedObject object : RenderCases.render(request).umbrella()) {
      JsonNode labels = object.at("/metadata/labels");
      for (String key : required) {
        if (labels.path(key).asText().isEmpty()) {
          problems.add(object.id() + " lacks label " + key);
        }
      }
      String podPath = POD_SPEC_PATHS.get(object.kind());
      if (podPath != null
          && object.kind().equals("Deployment")
          && object
              .at("/spec/template/metadata/labels/app.kubernetes.io~1part-of")
              .asText()
              .isEmpty()) {
        problems.add(object.id() + " pod template lacks app.kubernetes.io/part-of");
      }
    }
    assertThat(problems).as("label problems in " + label).isEmpty();
  }

  private static JsonNode effective(JsonNode container, JsonNode pod, String field) {
    return container.has(field) ? container.path(field) : pod.path(field);
  }

  private static java.util.Set<String> fieldNames(com.fasterxml.jackson.databind.JsonNode node) {
    java.util.Set<String> names = new java.util.HashSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
