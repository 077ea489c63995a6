package io.bptemporal.localcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports the images of {@code .tools/images/cluster/images.tsv} (written by
 * scripts/build-cluster-images) into the node's containerd, under the exact reference the manifests
 * render. An image is imported again only when containerd lacks its reference or its content key
 * changed, so a warm start imports nothing.
 */
final class ImageImport {
  private static final Logger log = LoggerFactory.getLogger(ImageImport.class);

  record Entry(String reference, Path tar, String key) {
    /**
     * What the kubelet looks up: ctr normalises {@code temporalio/server:1.31.2} to {@code
     * docker.io/...}.
     */
    String normalised() {
      return ImageReference.normalise(reference);
    }
  }

  private final ClusterLayout layout;
  private final Path state;

  ImageImport(ClusterLayout layout) {
    this.layout = layout;
    this.state = layout.state().resolve("images.imported");
  }

  static List<Entry> index(ClusterLayout layout) {
    Path index = layout.imageIndex();
    if (!Files.exists(index)) {
      throw new LocalClusterException(
          index + " is missing: run scripts/build-cluster-images (make cluster does)");
    }
    try {
      List<Entry> entries = new ArrayList<>();
      for (String line : Files.readAllLines(index)) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split("\t");
        if (f.length != 3) {
          throw new LocalClusterException(
              index + ": line '" + line + "' is not 'reference<TAB>tar<TAB>key'");
        }
        entries.add(new Entry(f[0], Path.of(f[1]), f[2]));
      }
      return entries;
    } catch (IOException e) {
      throw new LocalClusterException("cannot read " + index + ": " + e.getMessage(), e);
    }
  }

  /** Imports what is missing or changed; returns the references imported. */
  List<String> importMissing() {
    Map<String, String> imported = readState();
    Set<String> present = presentReferences();
    List<String> done = new ArrayList<>();
    for (Entry e : index(layout)) {
      if (present.contains(e.normalised()) && e.key().equals(imported.get(e.reference()))) {
        continue;
      }
      if (!Files.exists(e.tar())) {
        throw new LocalClusterException(
            "image tar "
                + e.tar()
                + " of "
                + e.reference()
                + " is missing: run scripts/build-cluster-images");
      }
      long t0 = System.nanoTime();
      ctr("images", "import", e.tar().toString()).withTimeout(Duration.ofMinutes(5)).check();
      if (!presentReferences().contains(e.normalised())) {
        throw new LocalClusterException(
            "imported "
                + e.tar()
                + " but containerd has no image "
                + e.normalised()
                + ": the tar's RepoTags must name "
                + e.reference());
      }
      imported.put(e.reference(), e.key());
      writeState(imported);
      done.add(e.reference());
      log.info(
          "imported {} as {} in {} ms",
          e.tar().getFileName(),
          e.normalised(),
          (System.nanoTime() - t0) / 1_000_000);
    }
    return done;
  }

  Set<String> presentReferences() {
    return ctr("images", "ls", "-q").check().lines().map(String::strip).collect(Collectors.toSet());
  }

  private HostCommand ctr(String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of("ctr", "--address", layout.containerdSocket().toString(), "-n", "k8s.io"));
    cmd.addAll(List.of(args));
    return HostCommand.of(cmd);
  }

  private Map<String, String> readState() {
    Map<String, String> m = new LinkedHashMap<>();
    if (Files.exists(state)) {
      try {
        for (String line : Files.readAllLines(state)) {
          String[] f = line.split("\t");
          if (f.length == 2) {
            m.put(f[0], f[1]);
          }
        }
      } catch (IOException e) {
        throw new LocalClusterException("cannot read " + state + ": " + e.getMessage(), e);
      }
    }
    return m;
  }

  private void writeState(Map<String, String> m) {
    try {
      Files.createDirectories(state.getParent());
      Files.write(state, m.entrySet().stream().map(e -> e.getKey() + "\t" + e.getValue()).toList());
    } catch (IOException e) {
      throw new LocalClusterException("cannot write " + state + ": " + e.getMessage(), e);
    }
  }
}
