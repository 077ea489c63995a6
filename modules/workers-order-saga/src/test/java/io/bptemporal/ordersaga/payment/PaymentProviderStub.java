package io.bptemporal.ordersaga.payment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A payment provider in the test JVM (com.sun.net.httpserver) that behaves like a real one: it
 * answers a repeated Idempotency-Key with the first answer and never charges twice for one key. It
 * can inject latency, 5xx answers and hangs (no answer before the client's timeout), and it
 * declines the tokens {@code tok_insufficient_funds} (402) and {@code tok_declined} (422). It
 * counts what it saw, so tests can prove that no order was charged twice.
 */
public final class PaymentProviderStub implements AutoCloseable {
  private final HttpServer server;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Answer> answersByKey = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requestsByKey = new ConcurrentHashMap<>();

  /** Charges actually made, per order: more than one for an order would be a double charge. */
  private final Map<String, Set<String>> chargesByOrder = new ConcurrentHashMap<>();

  private final Map<String, Set<String>> refundsByOrder = new ConcurrentHashMap<>();
  private final List<String> idempotencyKeys = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final AtomicInteger failNext = new AtomicInteger();
  private final AtomicInteger hangNext = new AtomicInteger();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicInteger chargesInFlight = new AtomicInteger();
  private final AtomicLong ids = new AtomicLong();
  private volatile Duration minLatency = Duration.ZERO;
  private volatile Duration maxLatency = Duration.ZERO;
  private volatile Duration hang = Duration.ofSeconds(30);

  private record Answer(int status, String body) {}

  private PaymentProviderStub(HttpServer server) {
    this.server = server;
  }

  public static PaymentProviderStub start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    PaymentProviderStub stub = new PaymentProviderStub(server);
    server.createContext("/v1/charges", exchange -> stub.handle(exchange, true));
    server.createContext("/v1/refunds", exchange -> stub.handle(exchange, false));
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    return stub;
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** Every answer waits a random time in [min, max]. */
  public PaymentProviderStub latency(Duration min, Duration max) {
    this.minLatency = min;
    this.maxLatency = max;
    return this;
  }

  /** The next {@code count} requests answer 503 without doing anything. */
  public PaymentProviderStub failNext(int count) {
    failNext.set(count);
    return this;
  }

  /** The next {@code count} requests do their work, then wait {@code hang} before answering. */
  public PaymentProviderStub hangNext(int count, Duration hang) {
    this.hang = hang;
    hangNext.set(count);
    return this;
  }

  /**
   * Charge requests the provider is working on right now (a client that dies now never hears the
   * answer).
   */
  public int chargesInFlight() {
    return chargesInFlight.get();
  }

  public long requests() {
    return requests.get();
  }

  public int requestsFor(String idempotencyKey) {
    AtomicInteger count = requestsByKey.get(idempotencyKey);
    return count == null ? 0 : count.get();
  }

  public List<String> idempotencyKeys() {
    return List.copyOf(idempotencyKeys);
  }

  public List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  public Map<String, Set<String>> chargesByOrder() {
    return Map.copyOf(chargesByOrder);
  }

  public Map<String, Set<String>> refundsByOrder() {
    return Map.copyOf(refundsByOrder);
  }

  /** Orders the provider charged more than once (under different keys): must always be empty. */
  public long ordersChargedMoreThanOnce() {
    return chargesByOrder.values().stream().filter(charges -> charges.size() > 1).count();
  }

  private void handle(HttpExchange exchange, boolean charge) throws IOException {
    if (charge) {
      chargesInFlight.incrementAndGet();
    }
    try (exchange) {
      requests.incrementAndGet();
      String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization != null) {
        authorizations.add(authorization);
      }
      if (key != null) {
        idempotencyKeys.add(key);
        requestsByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      }
      sleep(randomLatency());
      if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        respond(
            exchange,
            new Answer(503, "{\"error\":\"unavailable\",\"message\":\"injected outage\"}"));
        return;
      }
      if (key == null || !"POST".equals(exchange.getRequestMethod())) {
        respond(
            exchange,
            new Answer(
                400, "{\"error\":\"bad_request\",\"message\":\"POST with Idempotency-Key\"}"));
        return;
      }
      JsonNode body = json.readTree(exchange.getRequestBody().readAllBytes());
      Answer answer = answersByKey.computeIfAbsent(key, k -> charge ? charge(body) : refund(body));
      if (hangNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        sleep(hang);
      }
      respond(exchange, answer);
    } finally {
      if (charge) {
        chargesInFlight.decrementAndGet();
      }
    }
  }

  private Answer charge(JsonNode body) {
    String token = body.path("payment_method").path("token").asText();
    if (token.equals("tok_insufficient_funds")) {
      return new Answer(
          402, "{\"error\":\"insufficient_funds\",\"message\":\"card has insufficient funds\"}");
    }
    if (token.equals("tok_declined")) {
      return new Answer(422, "{\"error\":\"card_declined\",\"message\":\"do not honor\"}");
    }
    String paymentId = "pay_stub_" + ids.incrementAndGet();
    chargesByOrder
        .computeIfAbsent(body.path("order_id").asText(), o -> ConcurrentHashMap.newKeySet())
        .add(paymentId);
    return new Answer(201, "{\"payment_id\":\"" + paymentId + "\",\"status\":\"succeeded\"}");
  }

  private Answer refund(JsonNode body) {
    String refundId = "ref_stub_" + ids.incrementAndGet();
    refundsByOrder
        .computeIfAbsent(body.path("order_id").asText(), o -> ConcurrentHashMap.newKeySet())
        .add(refundId);
    return new Answer(
        201,
        "{\"refund_id\":\""
            + refundId
            + "\",\"payment_id\":\""
            + body.path("payment_id").asText()
            + "\"}");
  }

  private Duration randomLatency() {
    long min = minLatency.toMillis();
    long max = maxLatency.toMillis();
    return Duration.ofMillis(max <= min ? min : ThreadLocalRandom.current().nextLong(min, max + 1));
  }

  private static void sleep(Duration duration) {
    if (duration.isZero()) {
      return;
    }
    try {
      // The stub's simulated latency (or hang): a fixed delay by design, not a wait for a
      // condition.
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void respond(HttpExchange exchange, Answer answer) throws IOException {
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    try {
      exchange.sendResponseHeaders(answer.status(), bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    } catch (IOException clientGone) {
      // The client timed out and closed the connection: a real provider would not notice either.
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
