package io.bptemporal.devstack;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@code make run} starts on top of the stack, read from {@code dev/run.yaml}: long-running
 * services (workers, scheduler) that must become ready on {@code /readyz}, and tasks (demos) that
 * run to completion, in file order. Every problem in the file is reported at once with its path in
 * the file.
 *
 * @param roles login roles created before any app starts (password {@code <role>-dev}, as for the
 *     database owners): roles an app grants privileges to and another logs in as, e.g. the
 *     registry's read-only reader
 */
public record RunPlan(List<String> roles, List<App> apps) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,40}");
  private static final Pattern DATABASE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Pattern JAVA_CLASS =
      Pattern.compile("([a-zA-Z_$][a-zA-Z\\d_$]*\\.)*[a-zA-Z_$][a-zA-Z\\d_$]*");

  /** Services stay up and must answer /readyz; tasks run to completion. */
  public enum Kind {
    SERVICE,
    TASK
  }

  /**
   * One process: its main class runs from {@code <module>/target/classes} plus the module's {@code
   * target/runtime-classpath.txt}; with a database, that database and an owner role are created and
   * handed over as DB_URL / DB_USER / DB_PASSWORD.
   */
  public record App(
      String name,
      Path module,
      String mainClass,
      List<String> args,
      Kind kind,
      Optional<String> database,
      Map<String, String> env) {}

  /** The file's shape (snake_case keys as written by people). */
  record AppEntry(
      String name,
      String module,
      String main,
      List<String> args,
      String kind,
      String database,
      Map<String, String> env) {}

  record FileShape(List<String> roles, List<AppEntry> apps) {}

  public RunPlan {
    roles = List.copyOf(roles);
    apps = List.copyOf(apps);
  }

  /** A plan of apps only, no extra roles. */
  public RunPlan(List<App> apps) {
    this(List.of(), apps);
  }

  public static RunPlan empty() {
    return new RunPlan(List.of());
  }

  /** The names of its apps, services and tasks, for the launcher's summary. */
  public String describe() {
    return apps.stream()
        .map(app -> app.name() + (app.kind() == Kind.TASK ? " (task)" : ""))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  public static RunPlan load(Path file, Path repositoryRoot) {
    FileShape shape;
    try {
      shape =
          new ObjectMapper(new YAMLFactory())
              .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
              .readValue(Files.readString(file), FileShape.class);
    } catch (IOException e) {
      throw new DevStackException(
          file
              + " is not a valid run plan: "
              + e.getMessage().lines().findFirst().orElse("")
              + " (expected: roles: [name], apps: [{name, module, main, args, kind: service|task, database, env}])",
          e);
    }
    List<String> problems = new ArrayList<>();
    List<App> apps = new ArrayList<>();
    List<String> roles = shape == null || shape.roles() == null ? List.of() : shape.roles();
    for (int i = 0; i < roles.size(); i++) {
      if (roles.get(i) == null || !DATABASE.matcher(roles.get(i)).matches()) {
        problems.add(
            file.getFileName()
                + ": roles["
                + i
                + "] '"
                + roles.get(i)
                + "' is not accepted: use [a-z_][a-z0-9_]*");
      }
    }
    List<AppEntry> entries = shape == null || shape.apps() == null ? List.of() : shape.apps();
    for (int i = 0; i < entries.size(); i++) {
      AppEntry entry = entries.get(i);
      String at = file.getFileName() + ": apps[" + i + "]";
      if (entry.name() == null || !NAME.matcher(entry.name()).matches()) {
        problems.add(
            at
                + ".name '"
                + entry.name()
                + "' is not accepted: use lower-case letters, digits and '-'");
      }
      Path module =
          entry.module() == null ? null : repositoryRoot.resolve(entry.module()).normalize();
      if (module == null || !Files.isDirectory(module)) {
        problems.add(
            at + ".module '" + entry.module() + "' is not a module directory of this repository");
      }
      if (entry.main() == null || !JAVA_CLASS.matcher(entry.main()).matches()) {
        problems.add(at + ".main '" + entry.main() + "' is not a fully qualified class name");
      }
      Kind kind = Kind.SERVICE;
      if (entry.kind() != null) {
        try {
          kind = Kind.valueOf(entry.kind().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
          problems.add(at + ".kind '" + entry.kind() + "' is not accepted: use service or task");
        }
      }
      if (entry.database() != null && !DATABASE.matcher(entry.database()).matches()) {
        problems.add(
            at + ".database '" + entry.database() + "' is not accepted: use [a-z_][a-z0-9_]*");
      }
      apps.add(
          new App(
              entry.name(),
              module,
              entry.main(),
              entry.args() == null ? List.of() : List.copyOf(entry.args()),
              kind,
              Optional.ofNullable(entry.database()),
              entry.env() == null ? Map.of() : new LinkedHashMap<>(entry.env())));
    }
    if (!problems.isEmpty()) {
      throw new DevStackException(
          "invalid run plan " + file + ":\n  - " + String.join("\n  - ", problems));
    }
    return new RunPlan(roles, apps);
  }
}
