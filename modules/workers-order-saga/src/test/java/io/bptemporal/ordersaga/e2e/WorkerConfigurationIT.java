package io.bptemporal.ordersaga.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.devstack.WorkerProcess;
import io.bptemporal.ordersaga.worker.OrderSagaWorkerMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worker process refuses a broken environment at once, listing every problem, with exit status
 * 2.
 */
class WorkerConfigurationIT {

  @Test
  void everyConfigurationProblemIsReportedAtOnceWithExitStatus2() throws Exception {
    Path log =
        Files.createDirectories(Path.of("target/crash-test"))
            .resolve("worker-bad-configuration.log");
    Files.deleteIfExists(log);
    List<String> command =
        WorkerProcess.moduleCommand(
            Path.of("").toAbsolutePath(), OrderSagaWorkerMain.class.getName(), List.of("-Xmx256m"));
    WorkerProcess worker =
        WorkerProcess.start(
            "order-saga-worker",
            command,
            Map.of(
                "TEMPORAL_ADDRESS", "not-an-address",
                "PAYMENT_PROVIDER_URL", "ftp://payments.example.com",
                "PAYMENT_PROVIDER_TIMEOUT_MS", "fast",
                "OUTBOX_RELAY_ROLES", "outbox_relay,Bad-Role"),
            log);

    int status = worker.awaitExit(Duration.ofSeconds(30));
    String output = Files.readString(log);

    assertThat(status).as(output).isEqualTo(2);
    assertThat(output)
        .contains(
            "order-saga-worker: invalid configuration:",
            "TEMPORAL_ADDRESS='not-an-address' is not accepted",
            "DB_URL is not set",
            "PAYMENT_PROVIDER_URL='ftp://payments.example.com' is not accepted",
            "PAYMENT_PROVIDER_TIMEOUT_MS='fast' is not accepted: use a whole number from 100 to 10000",
            "OUTBOX_RELAY_ROLES='outbox_relay,Bad-Role' is not accepted ([Bad-Role])");
  }
}
