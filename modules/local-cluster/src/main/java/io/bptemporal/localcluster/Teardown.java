package io.bptemporal.localcluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code make cluster-down}: stops the supervisor (which stops its components and removes the
 * pods), then sweeps whatever a dead supervisor left - component processes, containers, shims,
 * mounts - and undoes the host changes ({@link HostChanges}). Works the same whether the supervisor
 * is alive, dead or was never started; idempotent. The cluster's data (etcd, images, volumes) stays
 * unless purged, so the next {@code make cluster} is a warm restart, like a node reboot.
 */
final class Teardown {
  private static final Logger log = LoggerFactory.getLogger(Teardown.class);
  private final ClusterLayout layout;

  Teardown(ClusterLayout layout) {
    this.layout = layout;
  }

  /** Returns what is still left on the host (empty: clean). */
  List<String> run(boolean purge) {
    stopSupervisor();
    killOurProcesses("component");
    removeContainers();
    killOurProcesses("containerd shim");
    unmountAll();
    removeContainerLogLinks();
    List<String> problems = new ArrayList<>(new HostChanges(layout).undo());
    try {
      Files.deleteIfExists(layout.readyFile());
      Files.deleteIfExists(layout.componentPidFile());
      Files.deleteIfExists(layout.supervisorPidFile());
      if (ownerIsUs()) {
        Files.deleteIfExists(ClusterLayout.OWNER_FILE);
      }
      if (purge) {
        Supervisor.deleteTree(layout.root());
      }
    } catch (IOException e) {
      problems.add("cannot clean " + layout.root() + ": " + e.getMessage());
    }
    problems.addAll(leftovers());
    if (problems.isEmpty()) {
      try {
        new HostChanges(layout).forgetBaseline();
      } catch (IOException e) {
        problems.add("cannot delete the host baseline: " + e.getMessage());
      }
    }
    return problems;
  }

  /**
   * Everything of this cluster still on the host: processes, mounts, links, routes, rules, cgroups.
   */
  List<String> leftovers() {
    List<String> found = new ArrayList<>();
    ourProcesses()
        .forEach(p -> found.add("process " + p.pid() + " " + ProcessCommandLine.of(p).orElse("?")));
    HostChanges.podProcesses().forEach(pid -> found.add("pod process " + pid));
    mountsUnderRoot().forEach(m -> found.add("mount " + m));
    try (var entries = Files.list(Path.of("/var/log/containers"))) {
      entries
          .filter(Files::isSymbolicLink)
          .filter(
              l -> {
                try {
                  return Files.readSymbolicLink(l).toString().startsWith(layout.root() + "/");
                } catch (IOException e) {
                  return false;
                }
              })
          .forEach(l -> found.add("log link " + l));
    } catch (IOException noDirectory) {
      // nothing linked
    }
    found.addAll(new HostChanges(layout).leftovers());
    return found;
  }

  private void stopSupervisor() {
    Optional<ProcessHandle> supervisor = LocalCluster.supervisor(layout);
    if (supervisor.isEmpty()) {
      return;
    }
    ProcessHandle handle = supervisor.get();
    log.info("stopping the supervisor (pid {}) and its components", handle.pid());
    handle.destroy(); // SIGTERM: its shutdown hook stops the components in reverse and removes the
    // pods
    try {
      handle.onExit().get(3, java.util.concurrent.TimeUnit.MINUTES);
    } catch (Exception e) {
      log.warn("the supervisor did not stop within 3 minutes; killing it");
      handle.destroyForcibly();
    }
  }

  /**
   * Processes whose command line names this cluster's directory (components, shims), by pid, never
   * by name.
   */
  private List<ProcessHandle> ourProcesses() {
    String root = layout.root().toString() + "/";
    long self = ProcessHandle.current().pid();
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != self)
        .filter(
            p ->
                ProcessCommandLine.of(p)
                    .map(
                        c ->
                            c.contains(root)
                                || c.endsWith(layout.root().toString())
                                || c.endsWith(" supervise " + layout.repo()))
                    .orElse(false))
        .toList();
  }

  private void killOurProcesses(String what) {
    List<ProcessHandle> left =
        ourProcesses().stream()
            .filter(
                p ->
                    what.equals("containerd shim")
                        == ProcessCommandLine.of(p).orElse("").contains("containerd-shim"))
            .toList();
    for (ProcessHandle p : left) {
      log.info(
          "stopping leftover {} pid {}: {}", what, p.pid(), ProcessCommandLine.of(p).orElse("?"));
      p.destroy();
    }
    for (ProcessHandle p : left) {
      try {
        p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    }
  }

  /**
   * Containers containerd can no longer stop (its supervisor died): through runc, then any pod
   * process left.
   */
  private void removeContainers() {
    Path runcRoot = layout.runcRoot().resolve("k8s.io");
    if (Files.isDirectory(runcRoot)) {
      HostCommand.Result list =
          HostCommand.of("runc", "--root", runcRoot.toString(), "list", "-q").run();
      for (String id :
          list.output().lines().map(String::strip).filter(s -> !s.isEmpty()).toList()) {
        HostCommand.of("runc", "--root", runcRoot.toString(), "kill", id, "KILL").run();
        HostCommand.of("runc", "--root", runcRoot.toString(), "delete", "--force", id).run();
      }
    }
    for (long pid : HostChanges.podProcesses()) {
      ProcessHandle.of(pid)
          .ifPresent(
              p -> {
                log.info(
                    "killing leftover pod process {}: {}", pid, p.info().commandLine().orElse("?"));
                p.destroyForcibly();
              });
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!HostChanges.podProcesses().isEmpty() && System.nanoTime() < deadline) {
      LocalCluster.pause(Duration.ofMillis(200));
    }
  }

  /**
   * The kubelet links every container's log into /var/log/containers (not configurable); ours point
   * into .cluster.
   */
  private void removeContainerLogLinks() {
    Path links = Path.of("/var/log/containers");
    if (!Files.isDirectory(links)) {
      return;
    }
    try (var entries = Files.list(links)) {
      for (Path link : entries.filter(Files::isSymbolicLink).toList()) {
        if (Files.readSymbolicLink(link).toString().startsWith(layout.root() + "/")) {
          Files.deleteIfExists(link);
        }
      }
    } catch (IOException e) {
      log.warn("cannot clean {}: {}", links, e.toString());
    }
  }

  private void unmountAll() {
    for (String mount : mountsUnderRoot()) {
      if (!HostCommand.of("umount", mount).run().ok()) {
        HostCommand.of("umount", "-l", mount).run();
      }
    }
  }

  /** Mount points under the cluster directory, deepest first (from /proc/self/mountinfo). */
  List<String> mountsUnderRoot() {
    String root = layout.root().toString() + "/";
    try {
      return Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8).stream()
          .map(l -> unescape(l.split(" ")[4]))
          .filter(m -> m.startsWith(root))
          .distinct()
          .sorted(Comparator.comparingInt(String::length).reversed())
          .toList();
    } catch (IOException e) {
      throw new LocalClusterException("cannot read /proc/self/mountinfo: " + e.getMessage(), e);
    }
  }

  /** mountinfo escapes space, tab, newline and backslash as octal. */
  static String unescape(String field) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\'
          && i + 3 < field.length()
          && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
        continue;
      }
      out.append(c);
    }
    return out.toString();
  }

  private boolean ownerIsUs() {
    try {
      return Files.exists(ClusterLayout.OWNER_FILE)
          && Files.readString(ClusterLayout.OWNER_FILE).strip().equals(layout.root().toString());
    } catch (IOException e) {
      return false;
    }
  }
}
