package io.bptemporal.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackPortsTest {

  @Test
  void developerDefaultsAreTheWellKnownTemporalAddresses() {
    StackPorts ports = StackPorts.developerDefaults();
    assertThat(ports.frontend()).isEqualTo(7233);
    assertThat(ports.ui()).isEqualTo(8233);
    assertThat(ports.kafka()).isEqualTo(9092);
    assertThat(ports.kafkaController()).isZero();
  }

  @Test
  void everyPortIsOverridableByItsOwnVariable() {
    Map<String, String> env =
        Map.of(
            "DEVSTACK_FRONTEND_PORT",
            "17233",
            "DEVSTACK_UI_PORT",
            "18233",
            "DEVSTACK_FRONTEND_MEMBERSHIP_PORT",
            "16933",
            "DEVSTACK_SERVER_METRICS_PORT",
            "0");

    StackPorts ports = StackPorts.developerDefaults().withOverrides(env::get);

    assertThat(ports.frontend()).isEqualTo(17233);
    assertThat(ports.ui()).isEqualTo(18233);
    assertThat(ports.frontendMembership()).isEqualTo(16933);
    assertThat(ports.serverMetrics()).isZero();
    assertThat(ports.history()).isEqualTo(7234);
  }

  @Test
  void variableNamesFollowTheComponentNames() {
    assertThat(StackPorts.envName("frontendHttp")).isEqualTo("DEVSTACK_FRONTEND_HTTP_PORT");
    assertThat(StackPorts.envName("serverMetrics")).isEqualTo("DEVSTACK_SERVER_METRICS_PORT");
    assertThat(StackPorts.envName("postgres")).isEqualTo("DEVSTACK_POSTGRES_PORT");
    assertThat(StackPorts.envName("kafka")).isEqualTo("DEVSTACK_KAFKA_PORT");
    assertThat(StackPorts.envName("kafkaController")).isEqualTo("DEVSTACK_KAFKA_CONTROLLER_PORT");
  }

  @Test
  void aValueThatIsNotAPortNamesTheVariableAndTheAcceptedRange() {
    assertThatThrownBy(
            () ->
                StackPorts.developerDefaults()
                    .withOverrides(Map.of("DEVSTACK_UI_PORT", "eighty")::get))
        .isInstanceOf(DevStackException.class)
        .hasMessage("DEVSTACK_UI_PORT='eighty' is not a port: use 0..65535 (0 = any free port)");
    assertThatThrownBy(
            () ->
                StackPorts.developerDefaults()
                    .withOverrides(Map.of("DEVSTACK_UI_PORT", "70000")::get))
        .hasMessageContaining("DEVSTACK_UI_PORT='70000'");
  }

  @Test
  void resolvingFreePortsGivesDistinctConcretePorts() {
    StackPorts ports = StackPorts.allFree().resolve();
    List<Integer> all =
        List.of(
            ports.postgres(),
            ports.frontend(),
            ports.frontendHttp(),
            ports.frontendMembership(),
            ports.history(),
            ports.historyMembership(),
            ports.matching(),
            ports.matchingMembership(),
            ports.worker(),
            ports.workerMembership(),
            ports.serverMetrics(),
            ports.ui(),
            ports.kafka(),
            ports.kafkaController());
    assertThat(all).allMatch(p -> p > 0);
    assertThat(new HashSet<>(all)).hasSize(all.size());
  }

  @Test
  void aBusyFixedPortFailsWithTheVariableToChange() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      StackPorts ports =
          StackPorts.allFree()
              .withOverrides(
                  Map.of("DEVSTACK_FRONTEND_PORT", Integer.toString(busy.getLocalPort()))::get);

      assertThatThrownBy(ports::resolve)
          .isInstanceOf(DevStackException.class)
          .hasMessageContaining("port " + busy.getLocalPort() + " (frontend) is in use")
          .hasMessageContaining("DEVSTACK_FRONTEND_PORT=<port>");
    }
  }
}
