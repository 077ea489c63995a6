package io.bptemporal.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IptablesRuleTest {
  @Test
  void quotedCommentsStayOneArgumentAndTheTargetIsFound() {
    List<String> words =
        IptablesRule.split(
            "-A FORWARD -m comment --comment \"kubernetes forwarding rules\" -j KUBE-FORWARD");
    assertThat(words)
        .containsExactly(
            "-A",
            "FORWARD",
            "-m",
            "comment",
            "--comment",
            "kubernetes forwarding rules",
            "-j",
            "KUBE-FORWARD");
    assertThat(IptablesRule.target(words)).isEqualTo("KUBE-FORWARD");
  }

  @Test
  void escapedQuotesAndGotoTargets() {
    List<String> words =
        IptablesRule.split(
            "-A OUTPUT -m comment --comment \"say \\\"hi\\\"\" -g CNI-HOSTPORT-DNAT");
    assertThat(words).contains("say \"hi\"");
    assertThat(IptablesRule.target(words)).isEqualTo("CNI-HOSTPORT-DNAT");
    assertThat(IptablesRule.target(IptablesRule.split("-A INPUT -s 10.0.0.0/8"))).isEmpty();
  }
}
