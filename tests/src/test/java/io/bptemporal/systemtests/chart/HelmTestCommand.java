package io.bptemporal.systemtests.chart;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code helm test} command NOTES.txt tells users to run, and which test pods it leaves out.
 *
 * <p>The umbrella cannot harden upstream's own test pod (the temporal chart offers no value for its
 * security context), so the documented command excludes it by name with {@code --filter
 * '!name=...'}. The hardening checks cover exactly what that command and {@code helm install}
 * create: the exclusion is read from the rendered notes, so a change to the command changes what is
 * checked.
 */
record HelmTestCommand(String line, List<String> excludedPods) {

  private static final Pattern COMMAND =
      Pattern.compile("^\\s*(helm test \\S+.*)$", Pattern.MULTILINE);
  private static final Pattern EXCLUSION = Pattern.compile("--filter '!name=([^']+)'");

  /**
   * The command in the notes of {@code request}; empty when the notes print none (tests disabled).
   */
  static Optional<HelmTestCommand> of(RenderRequest request) {
    Matcher command = COMMAND.matcher(RenderCases.chart().notes(request));
    if (!command.find()) {
      return Optional.empty();
    }
    String line = command.group(1).strip();
    Matcher exclusion = EXCLUSION.matcher(line);
    List<String> excluded = exclusion.results().map(m -> m.group(1)).toList();
    return Optional.of(new HelmTestCommand(line, excluded));
  }

  /**
   * Whether the command creates this object: every test hook but the excluded pods (other objects
   * are not tests).
   */
  boolean creates(RenderedManifest.RenderedObject object) {
    return !(isTestHook(object)
        && object.kind().equals("Pod")
        && excludedPods.contains(object.name()));
  }

  static boolean isTestHook(RenderedManifest.RenderedObject object) {
    return List.of(object.at("/metadata/annotations/helm.sh~1hook").asText().split(","))
        .contains("test");
  }
}
