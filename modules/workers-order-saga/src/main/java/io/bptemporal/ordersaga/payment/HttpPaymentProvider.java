package io.bptemporal.ordersaga.payment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.bptemporal.contracts.idempotency.IdempotencyKey;
import io.bptemporal.contracts.json.ContractJson;
import io.bptemporal.contracts.ordersaga.ChargePayment;
import io.bptemporal.ordersaga.BusinessFailure;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.function.Supplier;

/**
 * A payment provider over HTTP (JSON), called with the JDK's HttpClient:
 *
 * <ul>
 *   <li>{@code POST v1/charges} with the {@code ChargePayment} payload → {@code {"payment_id":
 *       "..."}}
 *   <li>{@code POST v1/refunds} with {@code {order_id, payment_id, amount_cents, currency, reason}}
 *       → {@code {"refund_id": "..."}}
 * </ul>
 *
 * Each request carries the effect's key as {@code Idempotency-Key}. Answers: 2xx success; 402
 * insufficient funds and any other 4xx except 408/429 a refusal (non-retryable); 408, 429, 5xx,
 * timeouts and connection errors are retryable.
 *
 * <p>Guarded by a resilience4j circuit breaker (a failing provider is not hammered by every
 * activity attempt: while open, attempts fail at once and Temporal backs off) and a bulkhead (a
 * slow provider cannot occupy every activity slot of the worker). Deliberately <b>no resilience4j
 * Retry</b>: Temporal's activity retry policy already retries with backoff, with its state kept
 * durably in the server across worker crashes; a second retry loop inside an attempt would multiply
 * the attempts (3 in-process × N Temporal), stretch one attempt past its start-to-close timeout,
 * and hide the failures from the workflow history, where an operator looks for them.
 */
public final class HttpPaymentProvider implements PaymentProvider, AutoCloseable {
  /** Retryable failure types (the activity retry policy backs off and tries again). */
  public static final String UNAVAILABLE = "PaymentProviderUnavailable";

  public static final String TIMEOUT = "PaymentProviderTimeout";
  public static final String CIRCUIT_OPEN = "PaymentProviderCircuitOpen";
  public static final String BUSY = "PaymentProviderBusy";

  private final PaymentProviderSettings.Http settings;
  private final HttpClient http;
  private final CircuitBreaker breaker;
  private final Bulkhead bulkhead;
  private final ObjectMapper json = ContractJson.newObjectMapper();

  public HttpPaymentProvider(PaymentProviderSettings.Http settings) {
    this.settings = settings;
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
    PaymentProviderSettings.Breaker b = settings.breaker();
    this.breaker =
        CircuitBreaker.of(
            "payment-provider",
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(b.windowCalls())
                .minimumNumberOfCalls(b.minimumCalls())
                .failureRateThreshold(b.failureRatePercent())
                .waitDurationInOpenState(b.openFor())
                .permittedNumberOfCallsInHalfOpenState(b.halfOpenCalls())
                // A refusal (4xx) is the provider working correctly; only its own trouble counts.
                .recordResult(
                    result ->
                        result instanceof HttpResponse<?> response
                            && isProviderTrouble(response.statusCode()))
                .build());
    this.bulkhead =
        Bulkhead.of(
            "payment-provider",
            BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxConcurrentCalls())
                .maxWaitDuration(settings.maxWaitForSlot())
                .build());
  }

  @Override
  public String name() {
    return "http";
  }

  @Override
  public String charge(IdempotencyKey key, ChargePayment request) {
    HttpResponse<String> response = post("v1/charges", key, request);
    int status = response.statusCode();
    if (status / 100 == 2) {
      return reference(response, "payment_id", "v1/charges");
    }
    String refusal =
        "payment provider refused the charge of "
            + request.amountCents()
            + " "
            + request.currency()
            + " for order "
            + request.orderId()
            + " (HTTP "
            + status
            + ": "
            + providerMessage(response)
            + ")";
    if (status == 402) {
      throw BusinessFailure.INSUFFICIENT_FUNDS.failure(refusal);
    }
    if (isRefusal(status)) {
      throw BusinessFailure.PAYMENT_DECLINED.failure(refusal);
    }
    throw trouble(response, "v1/charges");
  }

  @Override
  public String refund(
      IdempotencyKey key,
      String orderId,
      String paymentId,
      long amountCents,
      String currency,
      String reason) {
    HttpResponse<String> response =
        post("v1/refunds", key, new RefundBody(orderId, paymentId, amountCents, currency, reason));
    int status = response.statusCode();
    if (status / 100 == 2) {
      return reference(response, "refund_id", "v1/refunds");
    }
    if (isRefusal(status) || status == 402) {
      throw BusinessFailure.REFUND_REJECTED.failure(
          "payment provider refused the refund of "
              + amountCents
              + " "
              + currency
              + " of payment "
              + paymentId
              + " (order "
              + orderId
              + ", HTTP "
              + status
              + ": "
              + providerMessage(response)
              + "); the refund needs a person");
    }
    throw trouble(response, "v1/refunds");
  }

  /** The breaker's state, for tests and the start-up log. */
  public CircuitBreaker.State circuitState() {
    return breaker.getState();
  }

  @Override
  public void close() {
    http.close();
  }

  /** Request body of {@code v1/refunds}. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record RefundBody(
      String orderId, String paymentId, long amountCents, String currency, String reason) {}

  private HttpResponse<String> post(String path, IdempotencyKey key, Object body) {
    URI uri = settings.baseUrl().resolve(path);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(settings.timeout())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header("Idempotency-Key", key.value())
            .POST(HttpRequest.BodyPublishers.ofString(write(body)));
    settings.apiKey().ifPresent(apiKey -> request.header("Authorization", "Bearer " + apiKey));
    HttpRequest built = request.build();
    Supplier<HttpResponse<String>> call =
        () -> {
          try {
            return http.send(built, HttpResponse.BodyHandlers.ofString());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApplicationFailure.newFailure(
                "interrupted while calling the payment provider at "
                    + uri
                    + " (the worker is stopping; another attempt follows)",
                UNAVAILABLE);
          }
        };
    // Bulkhead outside the breaker: a call turned away for lack of a slot says nothing about the
    // provider.
    Supplier<HttpResponse<String>> guarded =
        Bulkhead.decorateSupplier(bulkhead, CircuitBreaker.decorateSupplier(breaker, call));
    try {
      return guarded.get();
    } catch (CallNotPermittedException e) {
      throw ApplicationFailure.newFailure(
          "payment provider circuit is open after repeated failures at "
              + settings.baseUrl()
              + "; no call made, retrying after backoff",
          CIRCUIT_OPEN);
    } catch (BulkheadFullException e) {
      throw ApplicationFailure.newFailure(
          "all "
              + settings.maxConcurrentCalls()
              + " payment provider call slots"
              + " stayed busy for "
              + settings.maxWaitForSlot().toMillis()
              + " ms; retrying after backoff",
          BUSY);
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof HttpTimeoutException) {
        throw ApplicationFailure.newFailure(
            "payment provider at "
                + uri
                + " did not answer within "
                + settings.timeout().toMillis()
                + " ms (the call may have succeeded: the retry sends the same"
                + " Idempotency-Key)",
            TIMEOUT);
      }
      throw ApplicationFailure.newFailure(
          "payment provider at " + uri + " is unreachable: " + e.getCause(), UNAVAILABLE);
    }
  }

  private static boolean isProviderTrouble(int status) {
    return status >= 500 || status == 408 || status == 429;
  }

  private static boolean isRefusal(int status) {
    return status >= 400 && status < 500 && !isProviderTrouble(status);
  }

  private ApplicationFailure trouble(HttpResponse<String> response, String path) {
    return ApplicationFailure.newFailure(
        "payment provider answered HTTP "
            + response.statusCode()
            + " on "
            + path
            + ": "
            + providerMessage(response),
        UNAVAILABLE);
  }

  private String reference(HttpResponse<String> response, String field, String path) {
    try {
      JsonNode body = json.readTree(response.body());
      JsonNode value = body == null ? null : body.get(field);
      if (value != null && value.isTextual() && !value.asText().isBlank()) {
        return value.asText();
      }
    } catch (JsonProcessingException e) {
      // reported below
    }
    throw ApplicationFailure.newFailure(
        "payment provider answered HTTP "
            + response.statusCode()
            + " on "
            + path
            + " without a \""
            + field
            + "\" string in its body: "
            + abbreviate(response.body()),
        UNAVAILABLE);
  }

  private String providerMessage(HttpResponse<String> response) {
    try {
      JsonNode body = json.readTree(response.body());
      if (body != null && body.hasNonNull("message")) {
        String error = body.hasNonNull("error") ? body.get("error").asText() + ": " : "";
        return error + body.get("message").asText();
      }
    } catch (JsonProcessingException e) {
      // not JSON: show the raw body
    }
    return abbreviate(response.body());
  }

  private String write(Object body) {
    try {
      return json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot write " + body.getClass().getSimpleName() + " as JSON", e);
    }
  }

  private static String abbreviate(String body) {
    if (body == null || body.isBlank()) {
      return "(empty body)";
    }
    String oneLine = body.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
  }
}
