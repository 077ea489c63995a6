package io.bptemporal.contracts.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.bptemporal.contracts.failure.FailureCode;
import io.bptemporal.contracts.failure.FailureDetails;
import io.bptemporal.contracts.ordersaga.CancelRequest;
import io.bptemporal.contracts.ordersaga.ChargePayment;
import io.bptemporal.contracts.ordersaga.PlaceOrder;
import io.bptemporal.contracts.runactivity.CompressedWindow;
import io.bptemporal.contracts.runactivity.RunActivityRequest;
import io.bptemporal.contracts.validation.Violation;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.failure.v1.Failure;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The defects a TypeScript client found, one by one, against the converter every process uses:
 * nothing is bound that the schema (or, without a schema, the record) does not describe exactly.
 */
class ContractDataConverterTest {

  private static final DataConverter CONVERTER = ContractDataConverter.instance();
  private static final String ORDER =
      """
            {"order_id": "o-1", "customer_id": "c-1", "lines": [{"sku": "SKU-A", "quantity": 2, "unit_price_cents": 1299}],
             "currency": "EUR", "payment_method": {"type": "CARD", "token": "tok_visa_4242"}}""";

  @Test
  void aValidOrderBinds() {
    PlaceOrder order = CONVERTER.fromPayload(json(ORDER), PlaceOrder.class, PlaceOrder.class);
    assertThat(order.totalCents()).isEqualTo(2598);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "price 12.99 is not truncated to 12   | \"unit_price_cents\": 1299     | \"unit_price_cents\": 12.99    | $.lines[0].unit_price_cents",
        "mistyped key does not make it free   | \"unit_price_cents\": 1299     | \"unit_price\": 1299           | $.lines[0].unit_price_cents",
        "camelCase keys                       | \"order_id\": \"o-1\"          | \"orderId\": \"o-1\"           | $.order_id",
        "enum in lower case                   | \"type\": \"CARD\"             | \"type\": \"card\"             | $.payment_method.type",
        "quantity as a string                 | \"quantity\": 2                | \"quantity\": \"2\"            | $.lines[0].quantity",
        "id as a number                       | \"customer_id\": \"c-1\"       | \"customer_id\": 1             | $.customer_id",
        "missing quantity is not 0            | \"quantity\": 2,               | ' '                            | $.lines[0].quantity",
      })
  void malformedOrdersAreRefusedWithThePath(String what, String from, String to, String path) {
    String bad = ORDER.replace(from.strip(), to.strip());
    assertThat(bad).as(what).isNotEqualTo(ORDER);
    assertThatThrownBy(() -> CONVERTER.fromPayload(json(bad), PlaceOrder.class, PlaceOrder.class))
        .as(what)
        .isInstanceOfSatisfying(
            InvalidPayloadException.class,
            e -> {
              assertThat(e.contract()).isEqualTo("place-order");
              assertThat(e.violations()).extracting(Violation::path).contains(path);
            });
  }

  @Test
  void timestampsNeedAnOffsetAndAreNeverEpochNumbers() {
    for (String scheduledFor : List.of("\"2026-11-21T00:00:00\"", "1795219200", "1795219200000")) {
      String json =
          "{\"activity_id\": \"nightly-export\", \"scheduled_for\": " + scheduledFor + "}";
      assertThatThrownBy(
              () ->
                  CONVERTER.fromPayload(
                      json(json), RunActivityRequest.class, RunActivityRequest.class))
          .as(scheduledFor)
          .isInstanceOfSatisfying(
              InvalidPayloadException.class,
              e ->
                  assertThat(e.violations())
                      .extracting(Violation::path)
                      .containsExactly("$.scheduled_for"));
    }
    // Without a schema (a record inside an activity payload) the strict mapper refuses them as
    // well.
    for (String missedFrom : List.of("\"2026-11-21T00:00:00\"", "1795219200")) {
      String json =
          "{\"missed_from\": "
              + missedFrom
              + ", \"missed_to\": \"2026-11-21T00:00:00Z\", \"missed_count\": 1}";
      assertThatThrownBy(
              () ->
                  CONVERTER.fromPayload(json(json), CompressedWindow.class, CompressedWindow.class))
          .as(missedFrom)
          .isInstanceOfSatisfying(
              InvalidPayloadException.class,
              e ->
                  assertThat(e.violations())
                      .extracting(Violation::path)
                      .containsExactly("$.missed_from"));
    }
  }

  @Test
  void recordsWithoutASchemaAreBoundStrictly() {
    String charge =
        """
                {"order_id": "o-1", "customer_id": "c-1", "amount_cents": %s, "currency": "EUR",
                 "payment_method": {"type": "CARD", "token": "t"}%s}""";
    assertThat(
            CONVERTER
                .fromPayload(
                    json(charge.formatted("2598", "")), ChargePayment.class, ChargePayment.class)
                .amountCents())
        .isEqualTo(2598);
    for (String[] bad :
        new String[][] {{"25.98", ""}, {"\"2598\"", ""}, {"2598", ", \"extra\": 1"}}) {
      assertThatThrownBy(
              () ->
                  CONVERTER.fromPayload(
                      json(charge.formatted(bad[0], bad[1])),
                      ChargePayment.class,
                      ChargePayment.class))
          .as(String.join("", bad))
          .isInstanceOf(InvalidPayloadException.class);
    }
    assertThatThrownBy(
            () ->
                CONVERTER.fromPayload(
                    json(
                        "{\"order_id\": \"o-1\", \"customer_id\": \"c-1\","
                            + " \"currency\": \"EUR\", \"payment_method\": {\"type\": \"CARD\", \"token\": \"t\"}}"),
                    ChargePayment.class,
                    ChargePayment.class))
        .as("amount missing")
        .isInstanceOf(InvalidPayloadException.class);
  }

  @Test
  void aDecodingFailureBecomesTheInvalidInputFailureWithEveryViolation() throws Exception {
    DataConverterException thrown =
        org.junit.jupiter.api.Assertions.assertThrows(
            DataConverterException.class,
            () ->
                CONVERTER.fromPayload(
                    json("{\"why\": 1}"), CancelRequest.class, CancelRequest.class));

    Failure failure = CONVERTER.exceptionToFailure(thrown);

    assertThat(failure.getApplicationFailureInfo().getType()).isEqualTo("INVALID_INPUT");
    assertThat(failure.getApplicationFailureInfo().getNonRetryable()).isTrue();
    assertThat(failure.getMessage()).startsWith("2 violation(s) of cancel-request: ");
    ApplicationFailure back = (ApplicationFailure) CONVERTER.failureToException(failure);
    FailureDetails details = back.getDetails().get(FailureDetails.class);
    assertThat(details.code()).isEqualTo(FailureCode.INVALID_INPUT);
    assertThat(details.violations())
        .extracting(Violation::path)
        .containsExactlyInAnyOrder("$.reason", "$.why");
    String wire =
        new ObjectMapper()
            .writeValueAsString(
                CONVERTER.toPayload(details).map(p -> p.getData().toStringUtf8()).orElseThrow());
    assertThat(wire).contains("found").doesNotContain("offendingValue");
  }

  private static Payload json(String json) {
    return Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFromUtf8(json))
        .build();
  }
}
