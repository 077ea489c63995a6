package io.bptemporal.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TeardownTest {
  @Test
  void mountinfoEscapesAreDecoded() {
    assertThat(Teardown.unescape("/a\\040b/c\\134d")).isEqualTo("/a b/c\\d");
    assertThat(Teardown.unescape("/plain")).isEqualTo("/plain");
    assertThat(Teardown.unescape("/trailing\\04")).isEqualTo("/trailing\\04");
  }
}
