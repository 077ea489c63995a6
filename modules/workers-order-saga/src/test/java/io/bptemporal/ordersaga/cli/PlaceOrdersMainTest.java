package io.bptemporal.ordersaga.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.contracts.ordersaga.CompensationStep;
import io.bptemporal.contracts.ordersaga.OrderOutcome;
import io.bptemporal.contracts.ordersaga.OrderResult;
import io.bptemporal.observability.config.Environment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command's arguments, its refusal of bad input before anything is placed, and what it prints.
 */
class PlaceOrdersMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void argumentsAreReadWithTheirDefaults() {
    PlaceOrdersCommand files = PlaceOrdersCommand.parse(List.of("a.json", "-", "--timeout", "30"));
    PlaceOrdersCommand demo = PlaceOrdersCommand.parse(List.of("--demo", "--no-wait"));

    assertThat(files.files()).containsExactly(Path.of("a.json"), Path.of("-"));
    assertThat(files.awaitOutcome()).isTrue();
    assertThat(files.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(demo.demo()).isTrue();
    assertThat(demo.awaitOutcome()).isFalse();
    assertThat(demo.timeout()).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void badArgumentsSayWhatIsAccepted() {
    assertThatThrownBy(() -> PlaceOrdersCommand.parse(List.of()))
        .hasMessageContaining("nothing to place");
    assertThatThrownBy(() -> PlaceOrdersCommand.parse(List.of("--demo", "a.json")))
        .hasMessageContaining("do not name order files");
    assertThatThrownBy(() -> PlaceOrdersCommand.parse(List.of("--fast")))
        .hasMessage("Unknown option: '--fast'");
    assertThatThrownBy(() -> PlaceOrdersCommand.parse(List.of("a.json", "--timeout")))
        .hasMessage("Missing required parameter for option '--timeout' (SECONDS)");
    assertThatThrownBy(() -> PlaceOrdersCommand.parse(List.of("a.json", "--timeout", "0")))
        .hasMessage("--timeout '0' is not accepted: a whole number of seconds from 1 to 3600");
  }

  @Test
  void badArgumentsExitWith2AndTheUsage() throws Exception {
    int status = run(List.of("--fast"), Map.of());

    assertThat(status).isEqualTo(2);
    assertThat(stderr())
        .contains(
            "place-orders: Unknown option: '--fast'",
            "Usage: PlaceOrdersMain",
            "--timeout=SECONDS",
            "--demo",
            "--no-wait");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aMistypedOptionExitsWith2AndNamesTheClosestOne() throws Exception {
    int status = run(List.of("--no-wiat", "a.json"), Map.of());

    assertThat(status).isEqualTo(2);
    assertThat(stderr())
        .contains("place-orders: Unknown option: '--no-wiat'", "Possible solutions: --no-wait");
  }

  @Test
  void helpPrintsTheUsageAndExits0WithoutPlacingAnything() throws Exception {
    // No Temporal server at this address: --help must not need one.
    int status = run(List.of("--help"), Map.of("TEMPORAL_ADDRESS", "127.0.0.1:1"));

    assertThat(status).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains(
            "Usage: PlaceOrdersMain",
            "ORDER.json",
            "--timeout=SECONDS",
            "(default 120)",
            "TEMPORAL_UI_URL",
            "Exit status");
    assertThat(stderr()).isEmpty();
  }

  @Test
  void invalidDocumentsAreRefusedWithEveryViolationBeforeAnythingIsPlaced(@TempDir Path dir)
      throws Exception {
    Path bad =
        Files.writeString(
            dir.resolve("bad.json"),
            """
                {"order_id": "o 1", "customer_id": "c-42", "lines": [], "currency": "EUR",
                 "payment_method": {"type": "CARD", "token": "tok_visa_4242"}}""");
    Path missing = dir.resolve("missing.json");

    // No Temporal server at this address: the command must stop before it would need one.
    int status =
        run(List.of(bad.toString(), missing.toString()), Map.of("TEMPORAL_ADDRESS", "127.0.0.1:1"));

    assertThat(status).isEqualTo(2);
    assertThat(stderr())
        .contains(bad + ": $.order_id", bad + ": $.lines", missing + " is not a readable file");
  }

  @Test
  void badConfigurationExitsWith2NamingTheVariable() throws Exception {
    int status = run(List.of("--demo"), Map.of("TEMPORAL_UI_URL", "localhost:8233"));

    assertThat(status).isEqualTo(2);
    assertThat(stderr())
        .contains("TEMPORAL_UI_URL='localhost:8233' is not accepted", "DB_URL is not set");
  }

  @Test
  void anOutcomeIsPrintedWithItsCompensationsAndItsWebUiLink() {
    PlacedOrder placed =
        new PlacedOrder(
            "o-1",
            "order:o-1",
            Optional.of(
                new OrderResult(
                    "o-1",
                    OrderOutcome.FAILED,
                    3048,
                    Optional.of("pay_1"),
                    Optional.empty(),
                    List.of(CompensationStep.REFUND_PAYMENT, CompensationStep.CANCEL_ORDER),
                    Optional.of("RESERVE_INVENTORY failed: OutOfStock: ..."))),
            Optional.empty(),
            PlacedOrder.webUi(URI.create("http://127.0.0.1:8233"), "orders", "order:o-1"));

    assertThat(placed.describe())
        .isEqualTo(
            """
                order o-1: FAILED (total 3048, payment pay_1)
                  reason: RESERVE_INVENTORY failed: OutOfStock: ...
                  workflow order:o-1 · compensations: REFUND_PAYMENT → CANCEL_ORDER
                  http://127.0.0.1:8233/namespaces/orders/workflows/order:o-1""");
  }

  private int run(List<String> args, Map<String, String> env) throws Exception {
    return PlaceOrdersMain.run(
        args,
        Environment.of(env::get),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
