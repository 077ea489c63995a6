package io.bptemporal.localcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The foreground side of {@code make cluster} and of the JUnit fixture: reuses a healthy running
 * cluster, or (re)starts the detached {@link Supervisor} and waits until it reports ready - failing
 * at once, with the component's report, when something dies meanwhile.
 */
public final class LocalCluster {
  private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);
  static final String MAIN_CLASS = "io.bptemporal.localcluster.LocalClusterMain";

  /**
   * The supervisor's JVM: it mostly waits on its children, so a small heap that shrinks back when
   * idle (serial GC, free-ratio bounds), C1 only, small stacks and code cache, no perf-data file.
   */
  static final List<String> SUPERVISOR_JVM =
      List.of(
          "-Xms8m",
          "-Xmx40m",
          "-XX:+UseSerialGC",
          "-XX:MinHeapFreeRatio=10",
          "-XX:MaxHeapFreeRatio=30",
          "-Xss256k",
          "-XX:TieredStopAtLevel=1",
          "-XX:CICompilerCount=1",
          "-XX:ReservedCodeCacheSize=16m",
          "-XX:MaxMetaspaceSize=48m",
          "-XX:CompressedClassSpaceSize=16m",
          "-XX:-UsePerfData",
          "-Xshare:auto");

  private static final List<String> REQUIRED_TOOLS =
      List.of(
          "kube-apiserver",
          "kube-controller-manager",
          "kube-scheduler",
          "kubelet",
          "kube-proxy",
          "kubectl",
          "crictl",
          "bpt-local-provisioner");

  private final ClusterLayout layout;

  public LocalCluster(ClusterLayout layout) {
    this.layout = layout;
  }

  public ClusterLayout layout() {
    return layout;
  }

  public enum State {
    RUNNING,
    STARTING,
    CRASHED,
    STOPPED
  }

  public State state() {
    if (supervisor(layout).isEmpty()) {
      return State.STOPPED;
    }
    if (Files.exists(layout.crashFile())) {
      return State.CRASHED;
    }
    return Files.exists(layout.readyFile()) ? State.RUNNING : State.STARTING;
  }

  /** The crash report of a component, if one died since the cluster started. */
  public Optional<String> crashReport() {
    try {
      return Files.exists(layout.crashFile())
          ? Optional.of(Files.readString(layout.crashFile()).strip())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.of("(cannot read " + layout.crashFile() + ": " + e.getMessage() + ")");
    }
  }

  /** Brings the cluster up (or keeps it), returning when it is ready; idempotent. */
  public void up(Duration timeout) {
    checkPrerequisites();
    checkOwner();
    State state = state();
    if (state == State.RUNNING) {
      // Images built since the cluster started (a new git revision tags new Jib images) must reach
      // the node too,
      // or a release naming them waits forever on a pull this machine cannot do.
      List<String> imported = new ImageImport(layout).importMissing();
      log.info(
          "the local cluster is already running{}",
          imported.isEmpty() ? "" : "; imported the new images " + imported);
      return;
    }
    if (state == State.CRASHED) {
      log.warn(
          "a component of the running cluster died; restarting the cluster. Its report:\n{}",
          crashReport().orElse(""));
    }
    ProcessHandle supervisor;
    if (state == State.STARTING) {
      supervisor = supervisor(layout).orElseThrow();
    } else {
      // Whatever a previous supervisor left (it may have been killed) goes first; cheap when clean.
      List<String> left = new Teardown(layout).run(false);
      if (!left.isEmpty()) {
        throw new LocalClusterException(
            "cannot start: the previous cluster left things the teardown could not remove:\n  "
                + String.join("\n  ", left));
      }
      checkOwner();
      supervisor = launchSupervisor();
    }
    awaitReady(timeout, supervisor);
  }

  private void checkPrerequisites() {
    List<String> missing = new ArrayList<>();
    for (String tool : REQUIRED_TOOLS) {
      if (!Files.isExecutable(layout.tool(tool))) {
        missing.add(layout.tool(tool).toString());
      }
    }
    for (String binary : List.of("containerd", "runc", "etcd", "iptables", "ctr", "nft")) {
      if (!HostCommand.of("sh", "-c", "command -v " + binary).run().ok()) {
        missing.add(binary + " (Debian package)");
      }
    }
    if (!missing.isEmpty()) {
      throw new LocalClusterException(
          "missing: "
              + String.join(", ", missing)
              + ". Run scripts/bootstrap cluster (as root; make cluster does)");
    }
    if (!Files.exists(layout.imageIndex())) {
      throw new LocalClusterException(
          layout.imageIndex()
              + " is missing: run scripts/build-cluster-images (make cluster does)");
    }
    if (!"0".equals(HostCommand.of("id", "-u").run().output())) {
      throw new LocalClusterException(
          "the local cluster runs as root (the kubelet, containerd and the network setup need it)");
    }
  }

  /**
   * One cluster per machine: the bridges, the node address and the kubelet's ports are
   * machine-wide.
   */
  private void checkOwner() {
    try {
      if (Files.exists(ClusterLayout.OWNER_FILE)) {
        String owner = Files.readString(ClusterLayout.OWNER_FILE).strip();
        if (!owner.equals(layout.root().toString())
            && Files.isDirectory(Path.of(owner))
            && supervisor(ClusterLayout.of(Path.of(owner).getParent())).isPresent()) {
          throw new LocalClusterException(
              "the local cluster of another checkout runs ("
                  + owner
                  + "); one cluster per machine: run 'make cluster-down' in "
                  + Path.of(owner).getParent()
                  + " first");
        }
      }
      Files.createDirectories(ClusterLayout.OWNER_FILE.getParent());
      Files.writeString(ClusterLayout.OWNER_FILE, layout.root() + "\n");
    } catch (IOException e) {
      throw new LocalClusterException(
          "cannot write " + ClusterLayout.OWNER_FILE + ": " + e.getMessage(), e);
    }
  }

  private ProcessHandle launchSupervisor() {
    try {
      Files.createDirectories(layout.logs());
      Files.createDirectories(layout.run());
      Files.deleteIfExists(layout.crashFile());
      Files.deleteIfExists(layout.readyFile());
      Path supervisorLog = layout.logs().resolve("supervisor.log");
      String java =
          ProcessHandle.current()
              .info()
              .command()
              .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      List<String> command = new ArrayList<>(List.of("setsid", java));
      command.addAll(SUPERVISOR_JVM);
      command.add(
          "-Dlogback.configurationFile=io/bptemporal/localcluster/logback-local-cluster.xml");
      command.addAll(
          List.of("-cp", supervisorClasspath(), MAIN_CLASS, "supervise", layout.repo().toString()));
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(supervisorLog.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .directory(layout.root().toFile())
              .start();
      log.info("started the cluster supervisor (pid {}); logs in {}", p.pid(), layout.logs());
      return p.toHandle();
    } catch (IOException e) {
      throw new LocalClusterException("cannot start the cluster supervisor: " + e.getMessage(), e);
    }
  }

  /**
   * The module's own build output when present (make builds it): the supervisor outlives the JVM
   * that starts it, and a test JVM's class path may be a temporary launcher jar that is deleted
   * when the tests end.
   */
  private String supervisorClasspath() throws IOException {
    Path module = layout.repo().resolve("modules/local-cluster/target");
    Path runtime = module.resolve("runtime-classpath.txt");
    if (Files.exists(runtime) && Files.isDirectory(module.resolve("classes"))) {
      return module.resolve("classes")
          + java.io.File.pathSeparator
          + Files.readString(runtime).strip();
    }
    return System.getProperty("java.class.path");
  }

  private void awaitReady(Duration timeout, ProcessHandle supervisor) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> crash = crashReport();
      if (crash.isPresent()) {
        throw new LocalClusterException("the local cluster lost a component: " + crash.get());
      }
      if (Files.exists(layout.readyFile())) {
        return;
      }
      if (!supervisor.isAlive()) {
        throw new LocalClusterException(
            "the cluster supervisor exited before the cluster was ready; last lines of "
                + layout.logs().resolve("supervisor.log")
                + ":\n  | "
                + String.join("\n  | ", tail(layout.logs().resolve("supervisor.log"), 25)));
      }
      pause(Duration.ofMillis(250));
    }
    throw new LocalClusterException(
        "the local cluster was not ready within " + timeout + "; see " + layout.logs());
  }

  /**
   * The running supervisor of this cluster: its pid file, checked against the process's command
   * line.
   */
  static Optional<ProcessHandle> supervisor(ClusterLayout layout) {
    try {
      if (!Files.exists(layout.supervisorPidFile())) {
        return Optional.empty();
      }
      long pid = Long.parseLong(Files.readString(layout.supervisorPidFile()).strip());
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(
              h ->
                  ProcessCommandLine.of(h)
                      .map(c -> c.contains(MAIN_CLASS) && c.endsWith(" supervise " + layout.repo()))
                      .orElse(false));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  static List<String> tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException e) {
      return List.of("(no log: " + e.getMessage() + ")");
    }
  }

  static void pause(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalClusterException("interrupted", e);
    }
  }
}
