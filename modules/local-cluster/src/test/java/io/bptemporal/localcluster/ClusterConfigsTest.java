package io.bptemporal.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConfigsTest {
  @TempDir Path repo;

  @Test
  void everyTemplateRendersWithoutALeftoverPlaceholderAndPointsIntoTheClusterDirectory()
      throws Exception {
    ClusterLayout layout = ClusterLayout.of(repo);
    new ClusterConfigs(layout).renderAll();
    try (Stream<Path> files = Files.walk(layout.etc())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(f)).as(f.toString()).doesNotContain("${");
      }
    }
    assertThat(layout.etc().resolve("containerd.toml"))
        .content()
        .contains("root = \"" + layout.data() + "/containerd\"")
        .contains("sandbox_image = \"registry.k8s.io/pause:3.10\"")
        .contains("restrict_oom_score_adj = true");
    assertThat(layout.etc().resolve("cni/net.d/10-bpt.conflist"))
        .content()
        .contains("\"bridge\": \"bpt-pods0\"")
        .contains("\"ipMasq\": false");
    assertThat(layout.etc().resolve("addons/20-coredns.yaml"))
        .content()
        .contains("image: registry.k8s.io/coredns/coredns:v1.12.4")
        .doesNotContainPattern("(?m)^\\s+forward\\s")
        .doesNotContainPattern("(?m)^\\s+loop\\s*$");
    assertThat(layout.etc().resolve("addons/10-storage.yaml"))
        .content()
        .contains("storageclass.kubernetes.io/is-default-class: \"true\"")
        .contains("provisioner: local.bp-temporal.io/hostpath");
  }

  @Test
  void anUnknownPlaceholderIsAnErrorNamingTheTemplate() {
    assertThatThrownBy(
            () -> ClusterConfigs.substitute("x.yaml", "a: ${NOPE}", Map.of("DATA", "/d")))
        .isInstanceOf(LocalClusterException.class)
        .hasMessageContaining("x.yaml")
        .hasMessageContaining("${NOPE}")
        .hasMessageContaining("DATA");
  }
}
