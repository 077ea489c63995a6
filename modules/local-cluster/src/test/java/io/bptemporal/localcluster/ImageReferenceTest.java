package io.bptemporal.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {
  @Test
  void referencesWithoutARegistryHostAreDockerHubOnes() {
    assertThat(ImageReference.normalise("temporalio/server:1.31.2"))
        .isEqualTo("docker.io/temporalio/server:1.31.2");
    assertThat(ImageReference.normalise("busybox:1.35"))
        .isEqualTo("docker.io/library/busybox:1.35");
    assertThat(ImageReference.normalise("ghcr.io/cloudnative-pg/cloudnative-pg:1.30.0"))
        .isEqualTo("ghcr.io/cloudnative-pg/cloudnative-pg:1.30.0");
    assertThat(ImageReference.normalise("registry.k8s.io/pause:3.10"))
        .isEqualTo("registry.k8s.io/pause:3.10");
    assertThat(ImageReference.normalise("localhost:5000/x:1")).isEqualTo("localhost:5000/x:1");
  }
}
