package io.bptemporal.runtime.temporal.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal's codec server protocol over the {@link AesGcmPayloadCodec}, so operators read decoded
 * payloads in the Web UI and the CLI ({@code temporal --codec-endpoint}) while the history stays
 * encrypted: {@code POST /decode} and {@code POST /encode}, body and answer {@code {"payloads":
 * [{"metadata": {k: base64}, "data": base64}]}} (the protobuf JSON of {@code Payloads}), the
 * namespace in {@code X-Namespace} or as the first path segment (every namespace shares the keys).
 *
 * <p>Every call carries {@code Authorization: Bearer <token>}: whoever may call reads every payload
 * in clear. The bearer is either the static token (compared in constant time) or, with
 * CODEC_SERVER_OIDC_ISSUER, an access token of the identity provider ({@link OidcTokenVerifier}),
 * which the Web UI passes for its signed-in user. CORS allows exactly the configured Web UI origin
 * (the UI calls the endpoint from the browser); a CORS preflight carries no credentials and is
 * answered without them.
 *
 * <p>The JDK's HTTP server, as the management endpoint: two paths do not justify a web framework.
 */
public final class CodecServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CodecServer.class);

  /** A history page of large payloads fits; more is refused before it is read into memory. */
  static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  static final String ALLOWED_HEADERS = "Content-Type, X-Namespace, Authorization";
  private static final String JSON = "application/json";
  private static final Pattern ROUTE = Pattern.compile("(?:/[^/]+)?/(decode|encode)");
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer();

  private final HttpServer server;
  private final ExecutorService executor;
  private final PayloadCodec codec;
  private final Optional<byte[]> tokenDigest;
  private final Optional<OidcTokenVerifier> oidc;
  private final Optional<String> allowedOrigin;

  private CodecServer(
      HttpServer server,
      ExecutorService executor,
      PayloadCodec codec,
      Optional<String> token,
      Optional<OidcTokenVerifier> oidc,
      Optional<String> allowedOrigin) {
    this.server = server;
    this.executor = executor;
    this.codec = codec;
    this.tokenDigest = token.map(CodecServer::sha256);
    this.oidc = oidc;
    this.allowedOrigin = allowedOrigin;
  }

  /**
   * Binds the settings' port (0: any free port) and starts serving.
   *
   * @throws IllegalStateException when the port is taken, naming CODEC_SERVER_PORT
   */
  public static CodecServer start(CodecServerSettings settings) {
    if (settings.token().filter(t -> !t.isEmpty()).isEmpty() && settings.oidc().isEmpty()) {
      throw new IllegalArgumentException(
          "the codec server does not start without a credential to check: a token or OIDC");
    }
    Optional<OidcTokenVerifier> oidc = settings.oidc().map(OidcTokenVerifier::new);
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(settings.port()), 16);
    } catch (BindException e) {
      throw new IllegalStateException(
          "cannot listen on CODEC_SERVER_PORT="
              + settings.port()
              + ": "
              + e.getMessage()
              + "; set CODEC_SERVER_PORT to a free port",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the codec server on port " + settings.port(), e);
    }
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "codec-http-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    CodecServer codecServer =
        new CodecServer(
            server,
            executor,
            new AesGcmPayloadCodec(settings.keys()),
            settings.token().filter(t -> !t.isEmpty()),
            oidc,
            settings.allowedOrigin());
    server.createContext("/", codecServer::handle);
    server.setExecutor(executor);
    server.start();
    List<String> credentials = new ArrayList<>();
    codecServer.tokenDigest.ifPresent(d -> credentials.add("the static token"));
    oidc.ifPresent(o -> credentials.add("OIDC access tokens (" + o + ")"));
    log.info(
        "codec server listening on port {} (POST /decode, /encode; bearer: {}; CORS origin {};"
            + " key ids {})",
        codecServer.port(),
        String.join(" or ", credentials),
        settings.allowedOrigin().orElse("none"),
        settings.keys().keyIds());
    return codecServer;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + port());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      // The CLI templates the endpoint per namespace ({namespace}/decode); one key set serves all.
      Matcher route = ROUTE.matcher(path);
      Optional<UnaryOperator<List<Payload>>> operation =
          !route.matches()
              ? Optional.empty()
              : "decode".equals(route.group(1))
                  ? Optional.of(codec::decode)
                  : Optional.of(codec::encode);
      boolean originAllowed = cors(exchange);
      if (operation.isEmpty()) {
        send(
            exchange,
            404,
            "no such path " + path + ": use POST /decode or /encode (or /<namespace>/decode, …)");
        return;
      }
      String method = exchange.getRequestMethod();
      if ("OPTIONS".equals(method)) {
        preflight(exchange, originAllowed);
        return;
      }
      if (!"POST".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "POST, OPTIONS");
        send(exchange, 405, method + " is not accepted: use POST");
        return;
      }
      OidcTokenVerifier.Result auth = authorize(exchange.getRequestHeaders());
      if (auth.status() != OidcTokenVerifier.Status.OK) {
        refuse(exchange, path, auth);
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_BODY_BYTES + 1);
      }
      if (body.length > MAX_BODY_BYTES) {
        send(exchange, 413, "the body is larger than " + MAX_BODY_BYTES + " bytes");
        return;
      }
      Payloads.Builder request = Payloads.newBuilder();
      try {
        PARSER.merge(new String(body, StandardCharsets.UTF_8), request);
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        send(
            exchange,
            400,
            "the body is not accepted: "
                + e.getMessage()
                + "; send {\"payloads\":[{\"metadata\":{\"encoding\":\"<base64>\"},\"data\":"
                + "\"<base64>\"}]}");
        return;
      }
      List<Payload> result;
      try {
        result = operation.get().apply(request.getPayloadsList());
      } catch (PayloadCodecException e) {
        log.warn(
            "codec server {} for namespace {} failed: {}",
            path,
            exchange.getRequestHeaders().getFirst("X-Namespace"),
            e.getMessage());
        send(exchange, 422, e.getMessage());
        return;
      }
      byte[] answer =
          PRINTER
              .print(Payloads.newBuilder().addAllPayloads(result).build())
              .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", JSON);
      exchange.sendResponseHeaders(200, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    } catch (RuntimeException e) {
      log.error("codec server failed to answer {}", exchange.getRequestURI(), e);
      throw e;
    }
  }

  /** Adds the CORS answer headers when the request comes from the allowed origin. */
  private boolean cors(HttpExchange exchange) {
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    Headers headers = exchange.getResponseHeaders();
    headers.add("Vary", "Origin");
    if (origin == null || allowedOrigin.isEmpty() || !allowedOrigin.get().equals(origin)) {
      return false;
    }
    headers.set("Access-Control-Allow-Origin", origin);
    // The UI's "include credentials" setting sends cookies; allowing it costs nothing since the
    // bearer token is what authenticates.
    headers.set("Access-Control-Allow-Credentials", "true");
    return true;
  }

  private static void preflight(HttpExchange exchange, boolean originAllowed) throws IOException {
    if (!originAllowed) {
      send(
          exchange,
          403,
          "origin "
              + exchange.getRequestHeaders().getFirst("Origin")
              + " is not allowed (CODEC_SERVER_ALLOWED_ORIGIN)");
      return;
    }
    Headers headers = exchange.getResponseHeaders();
    headers.set("Access-Control-Allow-Methods", "POST, OPTIONS");
    headers.set("Access-Control-Allow-Headers", ALLOWED_HEADERS);
    headers.set("Access-Control-Max-Age", "600");
    exchange.sendResponseHeaders(204, -1);
  }

  private static final OidcTokenVerifier.Result NO_BEARER =
      new OidcTokenVerifier.Result(
          OidcTokenVerifier.Status.INVALID, "missing bearer token (Authorization: Bearer <token>)");
  private static final OidcTokenVerifier.Result WRONG_TOKEN =
      new OidcTokenVerifier.Result(OidcTokenVerifier.Status.INVALID, "wrong bearer token");

  /** The static token first (cheap, constant-time), then the identity provider's token. */
  private OidcTokenVerifier.Result authorize(Headers headers) {
    String authorization = headers.getFirst("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return NO_BEARER;
    }
    String bearer = authorization.substring(7).strip();
    // Digests first: MessageDigest.isEqual is constant-time only for inputs of equal length.
    if (tokenDigest.isPresent() && MessageDigest.isEqual(tokenDigest.get(), sha256(bearer))) {
      return OidcTokenVerifier.Result.OK;
    }
    return oidc.map(verifier -> verifier.verify(bearer)).orElse(WRONG_TOKEN);
  }

  /**
   * 401/403/503 with the reason; the reason never holds the token, so it may be logged and sent.
   */
  private static void refuse(HttpExchange exchange, String path, OidcTokenVerifier.Result auth)
      throws IOException {
    int status =
        switch (auth.status()) {
          case FORBIDDEN -> 403;
          case KEYS_UNAVAILABLE -> 503;
          default -> 401;
        };
    if (status == 503) {
      log.warn("codec server {}: {}", path, auth.reason());
    } else {
      log.debug("codec server {} refused ({}): {}", path, status, auth.reason());
    }
    if (status == 401) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
    }
    send(exchange, status, "bearer token refused: " + auth.reason());
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static void send(HttpExchange exchange, int status, String message) throws IOException {
    byte[] text = (message + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, text.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(text);
    }
  }

  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }
}
