package io.bptemporal.runtime.temporal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.observability.config.ConfigurationException;
import io.bptemporal.observability.config.Environment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodecServerTest {
  private static final String TOKEN = "s3cret-token-of-the-codec-server";
  private static final String UI = "https://temporal.example.com";
  private static final String B64 =
      "eyJjdXN0b21lcklkIjoiY3VzdC00NzExIn0="; // {"customerId":"cust-4711"}
  private static final String CLEAR =
      "{\"payloads\":[{\"metadata\":{\"encoding\":\"anNvbi9wbGFpbg==\"},\"data\":\""
          + B64
          + "\"}]}";

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private CodecServer server;

  @BeforeEach
  void start() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    server =
        CodecServer.start(
            new CodecServerSettings(
                0, TOKEN, Optional.of(UI), PayloadKeys.of("k1", Map.of("k1", key))));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void encodeThenDecodeGivesTheOriginalPayloadsBack() throws Exception {
    HttpResponse<String> encoded = post("/encode", CLEAR, Optional.of("Bearer " + TOKEN));
    assertThat(encoded.statusCode()).isEqualTo(200);
    assertThat(encoded.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(encoded.body()).contains("YmluYXJ5L2VuY3J5cHRlZA==").doesNotContain(B64);

    HttpResponse<String> decoded = post("/decode", encoded.body(), Optional.of("Bearer " + TOKEN));
    // The CLI's per-namespace template.
    HttpResponse<String> perNamespace =
        post("/orders/decode", encoded.body(), Optional.of("Bearer " + TOKEN));

    assertThat(decoded.statusCode()).isEqualTo(200);
    assertThat(decoded.body()).contains(B64).contains("anNvbi9wbGFpbg==");
    assertThat(perNamespace.statusCode()).isEqualTo(200);
    assertThat(perNamespace.body()).isEqualTo(decoded.body());
  }

  @Test
  void withoutOrWithAWrongTokenTheAnswerIs401() throws Exception {
    assertThat(post("/decode", CLEAR, Optional.empty()).statusCode()).isEqualTo(401);
    HttpResponse<String> wrong = post("/decode", CLEAR, Optional.of("Bearer " + TOKEN + "x"));
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(post("/decode", CLEAR, Optional.of(TOKEN)).statusCode()).isEqualTo(401);
  }

  @Test
  void aPreflightFromTheUiOriginIsAllowedWithoutCredentials() throws Exception {
    HttpResponse<String> preflight = options(UI);

    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(UI);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers"))
        .contains("Content-Type, X-Namespace, Authorization");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods"))
        .hasValueSatisfying(methods -> assertThat(methods).contains("POST"));
  }

  @Test
  void anotherOriginGetsNoCorsHeaders() throws Exception {
    HttpResponse<String> preflight = options("https://evil.example.com");

    assertThat(preflight.statusCode()).isEqualTo(403);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void aCallFromTheUiOriginCarriesTheAllowOriginHeader() throws Exception {
    HttpResponse<String> answer =
        http.send(
            request("/encode", Optional.of("Bearer " + TOKEN))
                .header("Origin", UI)
                .POST(HttpRequest.BodyPublishers.ofString(CLEAR))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).contains(UI);
  }

  @Test
  void aBodyThatIsNotPayloadsJsonIs400WithAMessage() throws Exception {
    HttpResponse<String> answer = post("/decode", "{not json", Optional.of("Bearer " + TOKEN));

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("the body is not accepted").contains("\"payloads\"");
  }

  @Test
  void aPayloadOfAnUnknownKeyIs422NamingTheKey() throws Exception {
    String foreign =
        "{\"payloads\":[{\"metadata\":{\"encoding\":\"YmluYXJ5L2VuY3J5cHRlZA==\","
            + "\"encryption-key-id\":\"b2xk\"},\"data\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}]}";

    HttpResponse<String> answer = post("/decode", foreign, Optional.of("Bearer " + TOKEN));

    assertThat(answer.statusCode()).isEqualTo(422);
    assertThat(answer.body()).contains("key id 'old'");
  }

  @Test
  void otherPathsAndMethodsAreRefused() throws Exception {
    assertThat(post("/metrics", CLEAR, Optional.of("Bearer " + TOKEN)).statusCode()).isEqualTo(404);
    HttpResponse<String> get =
        http.send(
            request("/decode", Optional.of("Bearer " + TOKEN)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
  }

  @Test
  void withoutATokenFileTheServerDoesNotStart(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("k1"), Base64.getEncoder().encodeToString(new byte[32]));
    Map<String, String> vars = new HashMap<>();
    vars.put("PAYLOAD_KEYS_DIR", dir.toString());
    vars.put("PAYLOAD_KEY_ID", "k1");
    vars.put("CODEC_SERVER_ALLOWED_ORIGIN", "https://ui.example.com/path");

    Environment env = Environment.of(vars::get);
    CodecServerSettings.fromEnvironment(env);

    assertThatThrownBy(env::validate)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("neither CODEC_SERVER_TOKEN_FILE nor CODEC_SERVER_OIDC_ISSUER is set")
        .hasMessageContaining(
            "CODEC_SERVER_ALLOWED_ORIGIN='https://ui.example.com/path' is not accepted");
  }

  @Test
  void aShortTokenIsRefusedAndKeysAreRequired(@TempDir Path dir) throws IOException {
    Path token = Files.writeString(dir.resolve("token"), "short\n");
    Environment env = Environment.of(Map.of("CODEC_SERVER_TOKEN_FILE", token.toString())::get);
    CodecServerSettings.fromEnvironment(env);

    assertThatThrownBy(env::validate)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("at least 16 characters")
        .hasMessageContaining(
            "PAYLOAD_KEYS_DIR is not set: the codec server needs the payload keys");
  }

  private HttpResponse<String> post(String path, String body, Optional<String> authorization)
      throws Exception {
    return http.send(
        request(path, authorization).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> options(String origin) throws Exception {
    return http.send(
        HttpRequest.newBuilder(server.uri().resolve("/decode"))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type,x-namespace,authorization")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path, Optional<String> authorization) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(server.uri() + path))
            .header("Content-Type", "application/json")
            .header("X-Namespace", "orders");
    authorization.ifPresent(value -> builder.header("Authorization", value));
    return builder;
  }
}
