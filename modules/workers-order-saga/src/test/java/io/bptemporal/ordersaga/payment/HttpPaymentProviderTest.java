package io.bptemporal.ordersaga.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.contracts.ordersaga.ChargePayment;
import io.bptemporal.contracts.ordersaga.OrderEffect;
import io.bptemporal.contracts.ordersaga.PaymentMethod;
import io.bptemporal.contracts.ordersaga.PaymentMethodType;
import io.bptemporal.ordersaga.BusinessFailure;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP adapter against a local provider stub that injects latency, 5xx answers and timeouts.
 */
class HttpPaymentProviderTest {
  private PaymentProviderStub stub;
  private HttpPaymentProvider provider;

  @BeforeEach
  void start() throws Exception {
    stub = PaymentProviderStub.start();
    provider =
        provider(
            new PaymentProviderSettings.Breaker(4, 4, 50, Duration.ofMillis(500), 1),
            4,
            Duration.ofSeconds(1));
  }

  @AfterEach
  void stop() {
    provider.close();
    stub.close();
  }

  @Test
  void chargeSendsTheIdempotencyKeyAndARepeatedKeyGetsTheFirstChargeBack() {
    String first =
        provider.charge(OrderEffect.CHARGE_PAYMENT.key("o-1"), charge("o-1", "tok_visa_4242"));
    String again =
        provider.charge(OrderEffect.CHARGE_PAYMENT.key("o-1"), charge("o-1", "tok_visa_4242"));

    assertThat(first).startsWith("pay_stub_").isEqualTo(again);
    assertThat(stub.idempotencyKeys()).containsExactly("payment.charge/o-1", "payment.charge/o-1");
    assertThat(stub.chargesByOrder().get("o-1")).containsExactly(first);
  }

  @Test
  void refundReturnsTheProvidersReference() {
    String paymentId =
        provider.charge(OrderEffect.CHARGE_PAYMENT.key("o-2"), charge("o-2", "tok_visa_4242"));
    String refundId =
        provider.refund(
            OrderEffect.REFUND_PAYMENT.key("o-2"), "o-2", paymentId, 3048, "EUR", "test");

    assertThat(refundId).startsWith("ref_stub_");
    assertThat(stub.requestsFor("payment.refund/o-2")).isEqualTo(1);
  }

  @Test
  void declinesAreNonRetryableBusinessFailuresWithTheProvidersWords() {
    assertThatThrownBy(
            () ->
                provider.charge(
                    OrderEffect.CHARGE_PAYMENT.key("o-3"), charge("o-3", "tok_insufficient_funds")))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(BusinessFailure.INSUFFICIENT_FUNDS.type());
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getOriginalMessage())
                  .contains("HTTP 402", "card has insufficient funds", "o-3");
            });
    assertThatThrownBy(
            () ->
                provider.charge(
                    OrderEffect.CHARGE_PAYMENT.key("o-4"), charge("o-4", "tok_declined")))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(BusinessFailure.PAYMENT_DECLINED.type());
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getOriginalMessage())
                  .contains("HTTP 422", "card_declined: do not honor");
            });
    assertThat(provider.circuitState())
        .as("refusals say nothing about the provider's health")
        .isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void a5xxIsARetryableFailureAndTheRetryWithTheSameKeyCharges() {
    stub.failNext(1);

    assertThatThrownBy(
            () ->
                provider.charge(
                    OrderEffect.CHARGE_PAYMENT.key("o-5"), charge("o-5", "tok_visa_4242")))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(HttpPaymentProvider.UNAVAILABLE);
              assertThat(failure.isNonRetryable()).isFalse();
              assertThat(failure.getOriginalMessage()).contains("HTTP 503", "injected outage");
            });
    String paymentId =
        provider.charge(OrderEffect.CHARGE_PAYMENT.key("o-5"), charge("o-5", "tok_visa_4242"));

    assertThat(stub.chargesByOrder().get("o-5")).containsExactly(paymentId);
  }

  @Test
  void latencyWithinTheTimeoutIsFine() {
    stub.latency(Duration.ofMillis(100), Duration.ofMillis(200));

    assertThat(
            provider.charge(OrderEffect.CHARGE_PAYMENT.key("o-6"), charge("o-6", "tok_visa_4242")))
        .startsWith("pay_stub_");
  }

  @Test
  void noAnswerWithinTheTimeoutIsRetryableAndTheRetryDoesNotChargeAgain() {
    // The provider charges, then does not answer in time: exactly the case the idempotency key
    // exists for.
    stub.hangNext(1, Duration.ofSeconds(3));

    assertThatThrownBy(
            () ->
                provider.charge(
                    OrderEffect.CHARGE_PAYMENT.key("o-7"), charge("o-7", "tok_visa_4242")))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(HttpPaymentProvider.TIMEOUT);
              assertThat(failure.isNonRetryable()).isFalse();
              assertThat(failure.getOriginalMessage()).contains("did not answer within 1000 ms");
            });
    String paymentId =
        provider.charge(OrderEffect.CHARGE_PAYMENT.key("o-7"), charge("o-7", "tok_visa_4242"));

    assertThat(stub.chargesByOrder().get("o-7"))
        .as("charged once although called twice")
        .containsExactly(paymentId);
    assertThat(stub.requestsFor("payment.charge/o-7")).isEqualTo(2);
  }

  @Test
  void repeatedFailuresOpenTheCircuitSoAttemptsFailFastWithoutReachingTheProviderThenItRecovers()
      throws Exception {
    stub.failNext(4);
    for (int i = 0; i < 4; i++) {
      String orderId = "o-8-" + i;
      assertThatThrownBy(
              () ->
                  provider.charge(
                      OrderEffect.CHARGE_PAYMENT.key(orderId), charge(orderId, "tok_visa_4242")))
          .isInstanceOf(ApplicationFailure.class);
    }
    long requestsWhenOpened = stub.requests();

    assertThat(provider.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThatThrownBy(
            () ->
                provider.charge(
                    OrderEffect.CHARGE_PAYMENT.key("o-8-x"), charge("o-8-x", "tok_visa_4242")))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(HttpPaymentProvider.CIRCUIT_OPEN);
              assertThat(failure.isNonRetryable())
                  .as("Temporal retries it after backoff")
                  .isFalse();
            });
    assertThat(stub.requests()).as("an open circuit makes no call").isEqualTo(requestsWhenOpened);

    // Wall-clock time must pass: the breaker stays open for 500 ms before it lets a trial call
    // through.
    Thread.sleep(700);
    String paymentId =
        provider.charge(OrderEffect.CHARGE_PAYMENT.key("o-8-y"), charge("o-8-y", "tok_visa_4242"));
    assertThat(paymentId).startsWith("pay_stub_");
    assertThat(provider.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void theBulkheadTurnsAwayCallsBeyondItsSlotsWithoutCountingThemAgainstTheProvider()
      throws Exception {
    provider.close();
    provider =
        provider(
            PaymentProviderSettings.Breaker.defaults(Duration.ofSeconds(30)),
            2,
            Duration.ofSeconds(5));
    stub.latency(Duration.ofMillis(2000), Duration.ofMillis(2000));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<String>> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String orderId = "o-9-" + i;
        Callable<String> call =
            () ->
                provider.charge(
                    OrderEffect.CHARGE_PAYMENT.key(orderId), charge(orderId, "tok_visa_4242"));
        calls.add(pool.submit(call));
      }
      int charged = 0;
      int busy = 0;
      for (Future<String> call : calls) {
        try {
          call.get();
          charged++;
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause())
              .isInstanceOfSatisfying(
                  ApplicationFailure.class,
                  failure -> assertThat(failure.getType()).isEqualTo(HttpPaymentProvider.BUSY));
          busy++;
        }
      }
      // 2 slots, 0.1 s wait for one, 2 s per call: the first two get through, the other four are
      // turned away.
      assertThat(charged).isEqualTo(2);
      assertThat(busy).isEqualTo(4);
      assertThat(stub.requests()).isEqualTo(2);
      assertThat(provider.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anUnreachableProviderIsRetryable() {
    int port = stub.baseUrl().getPort();
    stub.close();
    HttpPaymentProvider unreachable = provider;

    assertThatThrownBy(
            () ->
                unreachable.charge(
                    OrderEffect.CHARGE_PAYMENT.key("o-10"), charge("o-10", "tok_visa_4242")))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType())
                  .isIn(HttpPaymentProvider.UNAVAILABLE, HttpPaymentProvider.TIMEOUT);
              assertThat(failure.isNonRetryable()).isFalse();
              assertThat(failure.getOriginalMessage()).contains("127.0.0.1:" + port);
            });
  }

  @Test
  void aSuccessWithoutAReferenceIsNotTakenForACharge() throws Exception {
    var broken =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    broken.createContext(
        "/",
        exchange -> {
          byte[] body = "{\"status\":\"ok\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    broken.start();
    try (HttpPaymentProvider answersWithoutId =
        new HttpPaymentProvider(
            new PaymentProviderSettings.Http(
                java.net.URI.create("http://127.0.0.1:" + broken.getAddress().getPort() + "/"),
                Optional.empty(),
                Duration.ofSeconds(1),
                1,
                Duration.ofMillis(100),
                PaymentProviderSettings.Breaker.defaults(Duration.ofSeconds(1))))) {
      assertThatThrownBy(
              () ->
                  answersWithoutId.charge(
                      OrderEffect.CHARGE_PAYMENT.key("o-11"), charge("o-11", "tok_visa_4242")))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              failure -> {
                assertThat(failure.getType()).isEqualTo(HttpPaymentProvider.UNAVAILABLE);
                assertThat(failure.getOriginalMessage())
                    .contains("without a \"payment_id\" string", "{\"status\":\"ok\"}");
              });
    } finally {
      broken.stop(0);
    }
  }

  @Test
  void theApiKeyTravelsAsABearerToken() {
    provider.charge(OrderEffect.CHARGE_PAYMENT.key("o-12"), charge("o-12", "tok_visa_4242"));

    assertThat(stub.authorizations()).containsExactly("Bearer test-key");
  }

  private HttpPaymentProvider provider(
      PaymentProviderSettings.Breaker breaker, int maxConcurrentCalls, Duration timeout) {
    return new HttpPaymentProvider(
        new PaymentProviderSettings.Http(
            stub.baseUrl(),
            Optional.of("test-key"),
            timeout,
            maxConcurrentCalls,
            Duration.ofMillis(100),
            breaker));
  }

  private static ChargePayment charge(String orderId, String token) {
    return new ChargePayment(
        orderId, "c-42", 3048, "EUR", new PaymentMethod(PaymentMethodType.CARD, token));
  }
}
