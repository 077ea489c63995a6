package io.bptemporal.ordersaga.payment;

import io.bptemporal.observability.config.Environment;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;

/**
 * The payment provider of the order-saga worker, from the environment (docs/order-saga.md,
 * configuration):
 *
 * <table>
 *   <caption>variables</caption>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code PAYMENT_PROVIDER_URL}</td><td>unset: ledger-only mode</td><td>base URL, http(s)</td></tr>
 *   <tr><td>{@code PAYMENT_PROVIDER_API_KEY}</td><td>none</td><td>sent as {@code Authorization: Bearer}</td></tr>
 *   <tr><td>{@code PAYMENT_PROVIDER_TIMEOUT_MS}</td><td>5000</td><td>per call, 100-10000</td></tr>
 *   <tr><td>{@code PAYMENT_PROVIDER_MAX_CONCURRENT_CALLS}</td><td>16</td><td>bulkhead, 1-500</td></tr>
 *   <tr><td>{@code PAYMENT_PROVIDER_BREAKER_OPEN_SECONDS}</td><td>30</td><td>circuit stays open, 1-600</td></tr>
 * </table>
 *
 * @param http the HTTP provider; empty means ledger-only mode
 */
public record PaymentProviderSettings(Optional<Http> http) {

  /**
   * An HTTP provider. The timeout's upper bound (10 s) keeps one call well inside the ChargePayment
   * and RefundPayment start-to-close timeout (15 s), so Temporal never gives up on an attempt that
   * is still waiting for the provider.
   *
   * @param baseUrl e.g. {@code https://payments.example.com/}; {@code v1/charges} and {@code
   *     v1/refunds} are resolved against it
   * @param apiKey bearer token
   * @param timeout per call (connect and response)
   * @param maxConcurrentCalls bulkhead: calls in flight at once from this process
   * @param maxWaitForSlot how long a call waits for a bulkhead slot before failing (retryable)
   * @param breaker when the circuit opens and for how long
   */
  public record Http(
      URI baseUrl,
      Optional<String> apiKey,
      Duration timeout,
      int maxConcurrentCalls,
      Duration maxWaitForSlot,
      Breaker breaker) {

    /** Never prints the API key. */
    @Override
    public String toString() {
      return "Http[baseUrl="
          + baseUrl
          + ", apiKey="
          + (apiKey.isPresent() ? "***" : "none")
          + ", timeout="
          + timeout
          + ", maxConcurrentCalls="
          + maxConcurrentCalls
          + ", breaker="
          + breaker
          + "]";
    }
  }

  /**
   * Circuit breaker: over the last {@code windowCalls} calls (once at least {@code minimumCalls}
   * were made), at {@code failureRatePercent} failures (5xx, 408, 429, timeouts, connection errors
   * — never a business refusal) it opens for {@code openFor}, then lets {@code halfOpenCalls} trial
   * calls through.
   */
  public record Breaker(
      int windowCalls,
      int minimumCalls,
      int failureRatePercent,
      Duration openFor,
      int halfOpenCalls) {
    public static Breaker defaults(Duration openFor) {
      return new Breaker(20, 10, 50, openFor, 3);
    }
  }

  public static PaymentProviderSettings ledgerOnly() {
    return new PaymentProviderSettings(Optional.empty());
  }

  /**
   * Reads the PAYMENT_PROVIDER_* variables; problems are recorded on {@code env} (call its
   * validate()).
   */
  public static PaymentProviderSettings fromEnvironment(Environment env) {
    Optional<String> url = env.optional("PAYMENT_PROVIDER_URL");
    Optional<String> apiKey = env.optional("PAYMENT_PROVIDER_API_KEY");
    Duration timeout =
        Duration.ofMillis(env.integer("PAYMENT_PROVIDER_TIMEOUT_MS", 5000, 100, 10_000));
    int maxConcurrent = env.integer("PAYMENT_PROVIDER_MAX_CONCURRENT_CALLS", 16, 1, 500);
    Duration open =
        env.seconds(
            "PAYMENT_PROVIDER_BREAKER_OPEN_SECONDS",
            Duration.ofSeconds(30),
            Duration.ofMinutes(10));
    if (open.isZero()) {
      env.problem(
          "PAYMENT_PROVIDER_BREAKER_OPEN_SECONDS='0' is not accepted: use a whole number from 1 to 600");
    }
    if (url.isEmpty()) {
      if (apiKey.isPresent()) {
        env.problem(
            "PAYMENT_PROVIDER_API_KEY is set but PAYMENT_PROVIDER_URL is not: set the provider's URL,"
                + " or remove the key to run in ledger-only mode");
      }
      return ledgerOnly();
    }
    Optional<URI> base = parseBaseUrl(env, url.get());
    return base.map(
            uri ->
                new PaymentProviderSettings(
                    Optional.of(
                        new Http(
                            uri,
                            apiKey,
                            timeout,
                            maxConcurrent,
                            Duration.ofSeconds(1),
                            Breaker.defaults(open.isZero() ? Duration.ofSeconds(30) : open)))))
        .orElseGet(PaymentProviderSettings::ledgerOnly);
  }

  /** {@code http} or {@code ledger}, for the start-up log line. */
  public String mode() {
    return http.map(h -> "http provider " + h.baseUrl())
        .orElse("ledger-only (PAYMENT_PROVIDER_URL is not set)");
  }

  private static Optional<URI> parseBaseUrl(Environment env, String value) {
    String accepted =
        "use an absolute http or https URL without query or fragment, e.g. https://payments.example.com/";
    try {
      URI uri = new URI(value);
      boolean http =
          "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
      if (!http || uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null) {
        env.problem("PAYMENT_PROVIDER_URL='" + value + "' is not accepted: " + accepted);
        return Optional.empty();
      }
      // v1/charges resolves below the base only when the base path ends with '/'.
      return Optional.of(uri.getPath().endsWith("/") ? uri : new URI(value + "/"));
    } catch (URISyntaxException e) {
      env.problem(
          "PAYMENT_PROVIDER_URL='"
              + value
              + "' is not accepted ("
              + e.getReason()
              + "): "
              + accepted);
      return Optional.empty();
    }
  }
}
