package io.bptemporal.localcluster;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every change the cluster makes to the host, made and undone here: the node and pod bridges, the
 * route of the service range, the rule that keeps pod traffic on this machine, and - recorded
 * before the first start so the teardown can undo them - the iptables chains, cgroups and kernel
 * settings the kubelet, kube-proxy and the CNI plugins create or change. The record lives in {@code
 * .cluster/state/host-baseline.properties} until a teardown has restored it.
 */
final class HostChanges {
  private static final Logger log = LoggerFactory.getLogger(HostChanges.class);

  /** Kernel settings the kubelet (and the bridge plugin: ip_forward) set. */
  static final List<String> SYSCTLS =
      List.of(
          "vm.overcommit_memory",
          "vm.panic_on_oom",
          "kernel.panic",
          "kernel.panic_on_oops",
          "kernel.keys.root_maxkeys",
          "kernel.keys.root_maxbytes",
          "net.ipv4.ip_forward",
          "net.bridge.bridge-nf-call-iptables",
          "net.ipv4.conf.all.route_localnet");

  static final List<String> IPTABLES = List.of("iptables", "ip6tables");
  static final List<String> TABLES = List.of("filter", "nat", "mangle");
  private static final Path CGROUPS = Path.of("/sys/fs/cgroup");

  private final ClusterLayout layout;
  private final Path baselineFile;

  HostChanges(ClusterLayout layout) {
    this.layout = layout;
    this.baselineFile = layout.state().resolve("host-baseline.properties");
  }

  /** Records the host as it is before the cluster touches it, unless a record already exists. */
  void recordBaseline() {
    if (Files.exists(baselineFile)) {
      return;
    }
    Properties p = new Properties();
    for (String key : SYSCTLS) {
      readSysctl(key).ifPresent(v -> p.setProperty("sysctl." + key, v));
    }
    for (String binary : IPTABLES) {
      p.setProperty("tables." + binary, String.join(" ", tables(binary)));
      for (String table : TABLES) {
        chains(binary, table)
            .ifPresent(
                chains ->
                    p.setProperty("chains." + binary + "." + table, String.join(" ", chains)));
      }
    }
    p.setProperty(
        "cgroups", String.join(" ", kubepodsCgroups().stream().map(Path::toString).toList()));
    try {
      Files.createDirectories(baselineFile.getParent());
      try (Writer w = Files.newBufferedWriter(baselineFile)) {
        p.store(
            w,
            "the host before the local cluster changed it; restored and deleted by make cluster-down");
      }
    } catch (IOException e) {
      throw new LocalClusterException("cannot write " + baselineFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * The node bridge (API server and kubelet address), the service route and the pod egress rule.
   */
  void applyNetwork() {
    String bridge = ClusterLayout.NODE_BRIDGE;
    if (!HostCommand.of("ip", "link", "show", bridge).run().ok()) {
      HostCommand.of("ip", "link", "add", bridge, "type", "bridge").check();
    }
    if (!HostCommand.of("ip", "-4", "addr", "show", "dev", bridge)
        .check()
        .contains(ClusterLayout.NODE_IP + "/32")) {
      HostCommand.of("ip", "addr", "add", ClusterLayout.NODE_IP + "/32", "dev", bridge).check();
    }
    HostCommand.of("ip", "link", "set", bridge, "up").check();
    // Traffic to a service address nothing answers for must not follow the default route out of the
    // host.
    HostCommand.of("ip", "route", "replace", ClusterLayout.SERVICE_CIDR, "dev", bridge).check();
    // In mangle, which the kernel evaluates before filter: the CNI firewall plugin puts its per-pod
    // ACCEPT
    // rules (which accept *everything* from a pod address) at the top of filter FORWARD, above any
    // rule here.
    List<String> rule =
        List.of(
            "-s",
            ClusterLayout.POD_CIDR,
            "!",
            "-o",
            ClusterLayout.POD_BRIDGE,
            "-m",
            "comment",
            "--comment",
            ClusterLayout.HYGIENE_COMMENT,
            "-j",
            "DROP");
    List<String> check =
        new ArrayList<>(List.of("iptables", "-w", "-t", "mangle", "-C", "FORWARD"));
    check.addAll(rule);
    if (!HostCommand.of(check).run().ok()) {
      List<String> insert =
          new ArrayList<>(List.of("iptables", "-w", "-t", "mangle", "-I", "FORWARD", "1"));
      insert.addAll(rule);
      HostCommand.of(insert).check();
    }
  }

  /**
   * Undoes everything; idempotent. Returns what it could not undo (empty when the host is clean).
   */
  List<String> undo() {
    List<String> problems = new ArrayList<>();
    Properties baseline = readBaseline();
    removeIptables(baseline, problems);
    removeEmptyTables(baseline, problems);
    HostCommand.of(
            "ip", "route", "del", ClusterLayout.SERVICE_CIDR, "dev", ClusterLayout.NODE_BRIDGE)
        .run();
    for (String veth : linksOf(ClusterLayout.POD_BRIDGE)) {
      HostCommand.of("ip", "link", "del", veth).run();
    }
    for (String bridge : List.of(ClusterLayout.POD_BRIDGE, ClusterLayout.NODE_BRIDGE)) {
      if (HostCommand.of("ip", "link", "show", bridge).run().ok()) {
        HostCommand.Result r = HostCommand.of("ip", "link", "del", bridge).run();
        if (!r.ok()) {
          problems.add("bridge " + bridge + ": " + r.output());
        }
      }
    }
    removeCgroups(baseline, problems);
    for (String key : SYSCTLS) {
      String before = baseline.getProperty("sysctl." + key);
      if (before != null && !before.equals(readSysctl(key).orElse(before))) {
        HostCommand.Result r = HostCommand.of("sysctl", "-qw", key + "=" + before).run();
        if (!r.ok()) {
          problems.add("sysctl " + key + " could not be restored to " + before + ": " + r.output());
        }
      }
    }
    return problems;
  }

  /** After a clean teardown: the next start records the host afresh. */
  void forgetBaseline() throws IOException {
    Files.deleteIfExists(baselineFile);
  }

  /**
   * What of the cluster is still on the host (empty when clean): for the teardown's final check.
   */
  List<String> leftovers() {
    List<String> found = new ArrayList<>();
    for (String bridge : List.of(ClusterLayout.POD_BRIDGE, ClusterLayout.NODE_BRIDGE)) {
      if (HostCommand.of("ip", "link", "show", bridge).run().ok()) {
        found.add("network link " + bridge);
      }
    }
    String routes = HostCommand.of("ip", "route", "show").run().output();
    routes
        .lines()
        .filter(
            l ->
                l.contains(ClusterLayout.NODE_BRIDGE)
                    || l.contains(ClusterLayout.POD_BRIDGE)
                    || l.startsWith(ClusterLayout.SERVICE_CIDR))
        .forEach(l -> found.add("route " + l));
    for (String binary : IPTABLES) {
      for (String table : TABLES) {
        HostCommand.Result r = HostCommand.of(binary, "-w", "-t", table, "-S").run();
        if (r.ok()) {
          r.output()
              .lines()
              .filter(
                  l ->
                      l.contains("KUBE-")
                          || l.contains("CNI-")
                          || l.contains(ClusterLayout.HYGIENE_COMMENT)
                          || l.contains(ClusterLayout.POD_BRIDGE))
              .forEach(l -> found.add(binary + " -t " + table + ": " + l));
        }
      }
    }
    kubepodsCgroups().forEach(c -> found.add("cgroup " + c));
    Properties baseline = readBaseline();
    for (String key : SYSCTLS) {
      String before = baseline.getProperty("sysctl." + key);
      String now = readSysctl(key).orElse(null);
      if (before != null && now != null && !before.equals(now)) {
        found.add("sysctl " + key + " = " + now + " (was " + before + ")");
      }
    }
    for (String binary : IPTABLES) {
      String before = baseline.getProperty("tables." + binary);
      if (before != null) {
        Set<String> existed = new LinkedHashSet<>(List.of(before.split(" ")));
        tables(binary).stream()
            .filter(t -> !existed.contains(t))
            .forEach(t -> found.add(binary + " table " + t + " (created by the cluster)"));
      }
    }
    return found;
  }

  private void removeIptables(Properties baseline, List<String> problems) {
    for (String binary : IPTABLES) {
      for (String table : TABLES) {
        Set<String> keep =
            new LinkedHashSet<>(
                List.of(baseline.getProperty("chains." + binary + "." + table, "").split(" ")));
        List<String> rules =
            HostCommand.of(binary, "-w", "-t", table, "-S").run().output().lines().toList();
        Set<String> removable = new LinkedHashSet<>();
        for (String line : rules) {
          if (line.startsWith("-N ")) {
            String chain = line.substring(3).strip();
            if ((chain.startsWith("KUBE-") || chain.startsWith("CNI-")) && !keep.contains(chain)) {
              removable.add(chain);
            }
          }
        }
        // Rules of the host's own chains that jump into ours, and our egress rule, go first.
        for (String line : rules) {
          if (!line.startsWith("-A ")) {
            continue;
          }
          List<String> words = IptablesRule.split(line);
          String chain = words.get(1);
          if (removable.contains(chain)) {
            continue;
          }
          String target = IptablesRule.target(words);
          if (removable.contains(target) || line.contains(ClusterLayout.HYGIENE_COMMENT)) {
            List<String> delete = new ArrayList<>(List.of(binary, "-w", "-t", table, "-D"));
            delete.addAll(words.subList(1, words.size()));
            HostCommand.Result r = HostCommand.of(delete).run();
            if (!r.ok()) {
              problems.add(binary + " -t " + table + " " + line + ": " + r.output());
            }
          }
        }
        for (String chain : removable) {
          HostCommand.of(binary, "-w", "-t", table, "-F", chain).run();
        }
        for (String chain : removable) {
          HostCommand.Result r = HostCommand.of(binary, "-w", "-t", table, "-X", chain).run();
          if (!r.ok()) {
            problems.add(binary + " -t " + table + " -X " + chain + ": " + r.output());
          }
        }
      }
    }
  }

  /**
   * iptables-nft creates a table the first time a rule goes into it and cannot delete it again: a
   * table that did not exist before the cluster and holds nothing any more is deleted with nft.
   */
  private void removeEmptyTables(Properties baseline, List<String> problems) {
    for (String binary : IPTABLES) {
      String before = baseline.getProperty("tables." + binary);
      if (before == null) {
        continue;
      }
      Set<String> existed = new LinkedHashSet<>(List.of(before.split(" ")));
      for (String table : tables(binary)) {
        if (existed.contains(table) || !emptyTable(binary, table)) {
          continue;
        }
        String family = binary.equals("ip6tables") ? "ip6" : "ip";
        HostCommand.Result r = HostCommand.of("nft", "delete", "table", family, table).run();
        if (!r.ok()) {
          problems.add(
              "empty "
                  + binary
                  + " table "
                  + table
                  + " created by the cluster could not be deleted (nft: "
                  + r.output()
                  + ")");
        }
      }
    }
  }

  /** Tables of {@code iptables-save} (what iptables-nft has created so far). */
  private static List<String> tables(String binary) {
    HostCommand.Result r = HostCommand.of(binary + "-save").run();
    return r.ok()
        ? r.output()
            .lines()
            .filter(l -> l.startsWith("*"))
            .map(l -> l.substring(1).strip())
            .toList()
        : List.of();
  }

  /** Only built-in chains with a policy, no rule, no chain of its own. */
  private static boolean emptyTable(String binary, String table) {
    HostCommand.Result r = HostCommand.of(binary + "-save", "-t", table).run();
    return r.ok()
        && r.output().lines().noneMatch(l -> l.startsWith("-A ") || l.matches("^:\\S+ - .*"));
  }

  private void removeCgroups(Properties baseline, List<String> problems) {
    Set<String> keep = new LinkedHashSet<>(List.of(baseline.getProperty("cgroups", "").split(" ")));
    for (Path top : kubepodsCgroups()) {
      if (keep.contains(top.toString())) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(top)) {
        for (Path dir :
            walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
          HostCommand.Result r = HostCommand.of("rmdir", dir.toString()).run();
          if (!r.ok() && Files.exists(dir)) {
            problems.add("cgroup " + dir + ": " + r.output());
          }
        }
      } catch (IOException | java.io.UncheckedIOException e) {
        problems.add("cgroup " + top + ": " + e.getMessage());
      }
    }
  }

  /** The kubelet's top-level pod cgroups, one per mounted hierarchy (cgroup v1). */
  static List<Path> kubepodsCgroups() {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> hierarchies = Files.list(CGROUPS)) {
      hierarchies.map(h -> h.resolve("kubepods")).filter(Files::isDirectory).forEach(found::add);
    } catch (IOException e) {
      log.debug("no cgroup hierarchies under {}: {}", CGROUPS, e.toString());
    }
    Path unified = CGROUPS.resolve("kubepods.slice");
    if (Files.isDirectory(unified)) {
      found.add(unified);
    }
    return found;
  }

  /** Processes still in the kubelet's pod cgroups (containers whose shim is gone). */
  static Set<Long> podProcesses() {
    Set<Long> pids = new LinkedHashSet<>();
    for (Path top : kubepodsCgroups()) {
      try (Stream<Path> walk = Files.walk(top)) {
        walk.filter(p -> p.getFileName().toString().equals("cgroup.procs"))
            .forEach(
                procs -> {
                  try {
                    Files.readAllLines(procs).stream()
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .map(Long::parseLong)
                        .forEach(pids::add);
                  } catch (IOException ignored) {
                    // The cgroup went away meanwhile.
                  }
                });
      } catch (IOException | java.io.UncheckedIOException e) {
        log.debug("cannot walk {}: {}", top, e.toString());
      }
    }
    return pids;
  }

  private static List<String> linksOf(String bridge) {
    HostCommand.Result r = HostCommand.of("ip", "-o", "link", "show", "master", bridge).run();
    if (!r.ok()) {
      return List.of();
    }
    // "12: veth1234@if3: <...>" -> veth1234
    return r.output()
        .lines()
        .map(l -> l.split(":")[1].strip())
        .map(n -> n.contains("@") ? n.substring(0, n.indexOf('@')) : n)
        .toList();
  }

  private static java.util.Optional<List<String>> chains(String binary, String table) {
    HostCommand.Result r = HostCommand.of(binary, "-w", "-t", table, "-S").run();
    if (!r.ok()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        r.output()
            .lines()
            .filter(l -> l.startsWith("-N "))
            .map(l -> l.substring(3).strip())
            .toList());
  }

  /**
   * Through sysctl(8): Files.readString of a /proc/sys file returned only its first byte here ("10"
   * read as "1").
   */
  private static java.util.Optional<String> readSysctl(String key) {
    HostCommand.Result r = HostCommand.of("sysctl", "-n", key).run();
    return r.ok() ? java.util.Optional.of(r.output().strip()) : java.util.Optional.empty();
  }

  private Properties readBaseline() {
    Properties p = new Properties();
    if (Files.exists(baselineFile)) {
      try (Reader r = Files.newBufferedReader(baselineFile)) {
        p.load(r);
      } catch (IOException e) {
        throw new LocalClusterException("cannot read " + baselineFile + ": " + e.getMessage(), e);
      }
    }
    return p;
  }
}
