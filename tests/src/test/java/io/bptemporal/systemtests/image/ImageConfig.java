package io.bptemporal.systemtests.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of an image's config JSON (Docker and OCI use the same field names) that decides how a
 * container starts: what runs, with which environment, as whom, where.
 *
 * @param entrypoint the Entrypoint array, empty when unset
 * @param cmd the Cmd array, empty when unset
 * @param env the Env entries in image order
 * @param user the User field, e.g. {@code 65532:65532}, {@code app}, or empty (root)
 * @param workingDir the WorkingDir, {@code /} when unset
 */
public record ImageConfig(
    List<String> entrypoint,
    List<String> cmd,
    Map<String, String> env,
    String user,
    String workingDir) {

  public ImageConfig {
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
  }

  static ImageConfig fromJson(JsonNode root) {
    JsonNode config = root.path("config");
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode entry : config.path("Env")) {
      String text = entry.asText();
      int eq = text.indexOf('=');
      env.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? "" : text.substring(eq + 1));
    }
    String workingDir = config.path("WorkingDir").asText("");
    return new ImageConfig(
        strings(config.path("Entrypoint")),
        strings(config.path("Cmd")),
        env,
        config.path("User").asText(""),
        workingDir.isEmpty() ? "/" : workingDir);
  }

  /** What a container engine executes: Entrypoint followed by Cmd. */
  public List<String> command() {
    List<String> command = new ArrayList<>(entrypoint);
    command.addAll(cmd);
    return command;
  }

  /** The user part of {@link #user()} (before a colon), when one is set. */
  public Optional<String> userName() {
    String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
    return name.isEmpty() ? Optional.empty() : Optional.of(name);
  }

  /** The group part of {@link #user()} (after a colon), when one is set. */
  public Optional<String> groupName() {
    return user.contains(":")
        ? Optional.of(user.substring(user.indexOf(':') + 1))
        : Optional.empty();
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.asText()));
    return values;
  }
}
