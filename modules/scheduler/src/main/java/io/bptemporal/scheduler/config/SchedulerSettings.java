package io.bptemporal.scheduler.config;

import io.bptemporal.contracts.activity.DurationText;
import io.bptemporal.contracts.naming.IdentifierFormat;
import io.bptemporal.contracts.naming.NamespaceSpec;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.contracts.runactivity.RunActivityWorkflow;
import io.bptemporal.observability.TelemetryConfig;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.registry.store.RegistryGrants;
import io.bptemporal.registry.targets.WorkflowTarget;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.temporal.TemporalSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the scheduler reads from its environment, read once at start-up
 * (docs/scheduler.md#configuration): the common contract of docs/operations/configuration.md plus
 * the SCHEDULER_* variables. SHUTDOWN_GRACE_SECONDS is not read: on SIGTERM the scheduler finishes
 * the pass in progress (seconds) and exits, and a pass cut short by a kill is repaired by the next
 * leader's pass.
 *
 * @param reconcileInterval SCHEDULER_RECONCILE_INTERVAL: time between passes when nothing notifies
 *     a change
 * @param lockRetryInterval SCHEDULER_LOCK_RETRY_INTERVAL: how often a standby tries to become the
 *     leader
 * @param namespaces SCHEDULER_NAMESPACES: the namespaces whose schedules it manages
 * @param workflowTypes SCHEDULER_WORKFLOW_TYPES: the workflow types a row may name; empty accepts
 *     any ({@code *})
 * @param seed SCHEDULER_SEED: {@code dev} inserts the dev seed rows at start (never overwriting a
 *     row)
 * @param registryReaderRoles REGISTRY_READER_ROLES: roles granted read-only access to the registry
 *     after every migration (e.g. the activity worker's), none by default
 */
public record SchedulerSettings(
    TemporalSettings temporal,
    DatabaseSettings database,
    TelemetryConfig telemetry,
    Duration reconcileInterval,
    Duration lockRetryInterval,
    Set<String> namespaces,
    Optional<Set<String>> workflowTypes,
    Optional<String> seed,
    List<String> registryReaderRoles) {

  public static final String SERVICE = "scheduler";
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_LOCK_RETRY = Duration.ofSeconds(5);

  /** The platform's workflow types, from the registry's one list of targets. */
  public static final List<String> DEFAULT_WORKFLOW_TYPES =
      List.copyOf(WorkflowTarget.PLATFORM.keySet());

  public static final List<String> SEEDS = List.of("dev");

  public SchedulerSettings {
    namespaces = Set.copyOf(namespaces);
    workflowTypes = workflowTypes.map(Set::copyOf);
    registryReaderRoles = List.copyOf(registryReaderRoles);
  }

  /**
   * Reads every variable; all problems are collected and thrown together as a {@link
   * io.bptemporal.observability.config.ConfigurationException}.
   */
  public static SchedulerSettings fromEnvironment(Environment env) {
    TemporalSettings temporal =
        TemporalSettings.fromEnvironment(
            env, RunActivityWorkflow.NAMESPACE, RunActivityWorkflow.TASK_QUEUE);
    DatabaseSettings database = DatabaseSettings.fromEnvironment(env);
    TelemetryConfig telemetry = TelemetryConfig.fromEnvironment(env, SERVICE);
    Duration interval = duration(env, "SCHEDULER_RECONCILE_INTERVAL", DEFAULT_INTERVAL);
    Duration lockRetry = duration(env, "SCHEDULER_LOCK_RETRY_INTERVAL", DEFAULT_LOCK_RETRY);
    Set<String> namespaces = namespaces(env);
    Optional<Set<String>> workflowTypes = workflowTypes(env);
    Optional<String> seed =
        env.optional("SCHEDULER_SEED")
            .map(value -> env.oneOf("SCHEDULER_SEED", "", SEEDS))
            .filter(value -> !value.isEmpty());
    List<String> readerRoles = readerRoles(env);
    env.validate();
    return new SchedulerSettings(
        temporal,
        database,
        telemetry,
        interval,
        lockRetry,
        namespaces,
        workflowTypes,
        seed,
        readerRoles);
  }

  /** A Go-style duration (30s, 5m, 1h30m), at least one second. */
  private static Duration duration(Environment env, String name, Duration fallback) {
    Optional<String> text = env.optional(name);
    if (text.isEmpty()) {
      return fallback;
    }
    Optional<Duration> parsed = DurationText.tryParse(text.get());
    if (parsed.isEmpty() || parsed.get().compareTo(Duration.ofSeconds(1)) < 0) {
      env.problem(
          name
              + "='"
              + text.get()
              + "' is not accepted: use "
              + DurationText.ACCEPTED
              + ", at least 1s");
      return fallback;
    }
    return parsed.get();
  }

  private static Set<String> namespaces(Environment env) {
    Optional<String> text = env.optional("SCHEDULER_NAMESPACES");
    List<String> defaults = Namespaces.ALL.stream().map(NamespaceSpec::name).toList();
    if (text.isEmpty()) {
      return new LinkedHashSet<>(defaults);
    }
    Set<String> names = new LinkedHashSet<>();
    List<String> bad = new ArrayList<>();
    for (String name : split(text.get())) {
      if (IdentifierFormat.NAMESPACE.matches(name)) {
        names.add(name);
      } else {
        bad.add(name);
      }
    }
    if (!bad.isEmpty() || names.isEmpty()) {
      env.problem(
          "SCHEDULER_NAMESPACES='"
              + text.get()
              + "' is not accepted"
              + (bad.isEmpty() ? "" : " (" + bad + ")")
              + ": use a comma-separated list of namespace names ("
              + IdentifierFormat.NAMESPACE.accepted()
              + "), e.g. "
              + String.join(",", defaults));
      return new LinkedHashSet<>(defaults);
    }
    return names;
  }

  private static Optional<Set<String>> workflowTypes(Environment env) {
    Optional<String> text = env.optional("SCHEDULER_WORKFLOW_TYPES");
    if (text.isEmpty()) {
      return Optional.of(new LinkedHashSet<>(DEFAULT_WORKFLOW_TYPES));
    }
    if (text.get().equals("*")) {
      return Optional.empty();
    }
    Set<String> types = new LinkedHashSet<>();
    List<String> bad = new ArrayList<>();
    for (String type : split(text.get())) {
      if (IdentifierFormat.WORKFLOW_TYPE.matches(type)) {
        types.add(type);
      } else {
        bad.add(type);
      }
    }
    if (!bad.isEmpty() || types.isEmpty()) {
      env.problem(
          "SCHEDULER_WORKFLOW_TYPES='"
              + text.get()
              + "' is not accepted"
              + (bad.isEmpty() ? "" : " (" + bad + ")")
              + ": use * (any type) or a comma-separated list of workflow types, e.g. "
              + String.join(",", DEFAULT_WORKFLOW_TYPES));
      return Optional.of(new LinkedHashSet<>(DEFAULT_WORKFLOW_TYPES));
    }
    return Optional.of(types);
  }

  private static List<String> readerRoles(Environment env) {
    Optional<String> text = env.optional("REGISTRY_READER_ROLES");
    if (text.isEmpty()) {
      return List.of();
    }
    List<String> roles = split(text.get()).stream().distinct().toList();
    List<String> bad =
        roles.stream().filter(role -> !RegistryGrants.ROLE_NAME.matcher(role).matches()).toList();
    if (!bad.isEmpty()) {
      env.problem(
          "REGISTRY_READER_ROLES='"
              + text.get()
              + "' is not accepted ("
              + bad
              + "): use a comma-separated"
              + " list of role names, "
              + RegistryGrants.ACCEPTED
              + ", e.g. registry_reader");
      return List.of();
    }
    return roles;
  }

  private static List<String> split(String text) {
    return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
