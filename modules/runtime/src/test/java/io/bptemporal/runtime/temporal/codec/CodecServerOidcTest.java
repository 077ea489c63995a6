package io.bptemporal.runtime.temporal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.bptemporal.observability.config.ConfigurationException;
import io.bptemporal.observability.config.Environment;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The codec server with CODEC_SERVER_OIDC_*: a real JWKS endpoint (the JDK's HTTP server serving a
 * JWK set of freshly generated RSA and EC keys, which the test may change to rotate keys) and real
 * signed tokens, as the identity provider would issue them.
 */
class CodecServerOidcTest {
  private static final String STATIC_TOKEN = "s3cret-token-of-the-codec-server";
  private static final String ISSUER = "https://keycloak.example.com/realms/temporal";
  private static final String AUDIENCE = "temporal-codec";
  private static final String UI = "https://temporal.example.com";
  private static final String CLEAR =
      "{\"payloads\":[{\"metadata\":{\"encoding\":\"anNvbi9wbGFpbg==\"},\"data\":"
          + "\"eyJjdXN0b21lcklkIjoiY3VzdC00NzExIn0=\"}]}";

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final AtomicReference<JWKSet> served = new AtomicReference<>();
  private final AtomicInteger jwksFetches = new AtomicInteger();
  private HttpServer jwks;
  private RSAKey rsa;
  private ECKey ec;
  private PayloadKeys payloadKeys;
  private CodecServer server;

  @BeforeEach
  void startTheIdentityProvidersJwks() throws Exception {
    rsa = new RSAKeyGenerator(2048).keyID("rsa-1").keyUse(KeyUse.SIGNATURE).generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").keyUse(KeyUse.SIGNATURE).generate();
    served.set(new JWKSet(List.<JWK>of(rsa.toPublicJWK(), ec.toPublicJWK())));
    jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    jwks.createContext(
        "/certs",
        exchange -> {
          jwksFetches.incrementAndGet();
          byte[] body = served.get().toString(true).getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    jwks.start();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    payloadKeys = PayloadKeys.of("k1", Map.of("k1", key));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    jwks.stop(0);
  }

  private URI jwksUrl() {
    return URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/certs");
  }

  private void start(Optional<String> token, CodecServerSettings.Oidc oidc) {
    server =
        CodecServer.start(
            new CodecServerSettings(0, token, Optional.of(oidc), Optional.of(UI), payloadKeys));
  }

  private void startOidcOnly() {
    start(
        Optional.empty(), new CodecServerSettings.Oidc(ISSUER, jwksUrl(), Optional.empty(), null));
  }

  // ---- tokens as the identity provider issues them

  private static JWTClaimsSet.Builder claims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject("3f1c2a9e-operator")
        .audience(List.of(AUDIENCE, "account"))
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
  }

  private static String rs256(RSAKey key, JWTClaimsSet claims) throws JOSEException {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static String es256(ECKey key, JWTClaimsSet claims) throws JOSEException {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  private String valid() throws JOSEException {
    return rs256(rsa, claims().build());
  }

  // ---- accepted

  @Test
  void anAccessTokenOfTheProviderEncodesAndDecodes() throws Exception {
    startOidcOnly();
    String token = valid();

    HttpResponse<String> encoded = post("/encode", CLEAR, "Bearer " + token);
    HttpResponse<String> decoded = post("/decode", encoded.body(), "Bearer " + token);

    assertThat(encoded.statusCode()).as(encoded.body()).isEqualTo(200);
    assertThat(decoded.statusCode()).as(decoded.body()).isEqualTo(200);
    assertThat(decoded.body()).contains("eyJjdXN0b21lcklkIjoiY3VzdC00NzExIn0=");
    // The JWK set is fetched once and then served from the cache.
    assertThat(jwksFetches.get()).isEqualTo(1);
  }

  @Test
  void anEs256TokenOfTheSameKeySetIsAccepted() throws Exception {
    startOidcOnly();

    HttpResponse<String> answer = post("/encode", CLEAR, "Bearer " + es256(ec, claims().build()));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
  }

  @Test
  void theAudienceAndTheGroupAreCheckedWhenConfigured() throws Exception {
    start(
        Optional.empty(),
        new CodecServerSettings.Oidc(
            ISSUER, jwksUrl(), Optional.of(AUDIENCE), Optional.of("codec-readers")));

    HttpResponse<String> member =
        post(
            "/encode",
            CLEAR,
            "Bearer "
                + rs256(rsa, claims().claim("groups", List.of("ops", "codec-readers")).build()));
    HttpResponse<String> notMember =
        post(
            "/encode",
            CLEAR,
            "Bearer " + rs256(rsa, claims().claim("groups", List.of("ops")).build()));
    HttpResponse<String> noGroups = post("/encode", CLEAR, "Bearer " + valid());
    HttpResponse<String> otherAudience =
        post(
            "/encode",
            CLEAR,
            "Bearer "
                + rs256(
                    rsa,
                    claims()
                        .audience("account")
                        .claim("groups", List.of("codec-readers"))
                        .build()));

    assertThat(member.statusCode()).as(member.body()).isEqualTo(200);
    assertThat(notMember.statusCode()).isEqualTo(403);
    assertThat(notMember.body()).contains("does not contain the group codec-readers");
    assertThat(noGroups.statusCode()).isEqualTo(403);
    assertThat(otherAudience.statusCode()).isEqualTo(401);
    assertThat(otherAudience.body()).contains("aud");
  }

  @Test
  void theStaticTokenStillWorksBesideOidc() throws Exception {
    start(
        Optional.of(STATIC_TOKEN),
        new CodecServerSettings.Oidc(ISSUER, jwksUrl(), Optional.empty(), Optional.empty()));

    assertThat(post("/encode", CLEAR, "Bearer " + STATIC_TOKEN).statusCode()).isEqualTo(200);
    assertThat(post("/encode", CLEAR, "Bearer " + valid()).statusCode()).isEqualTo(200);
    assertThat(post("/encode", CLEAR, "Bearer " + STATIC_TOKEN + "x").statusCode()).isEqualTo(401);
  }

  @Test
  void aKeyTheProviderRotatesInIsPickedUpWithoutARestart() throws Exception {
    startOidcOnly();
    assertThat(post("/encode", CLEAR, "Bearer " + valid()).statusCode()).isEqualTo(200);

    RSAKey rotated = new RSAKeyGenerator(2048).keyID("rsa-2").keyUse(KeyUse.SIGNATURE).generate();
    served.set(new JWKSet(List.<JWK>of(rotated.toPublicJWK(), ec.toPublicJWK())));
    HttpResponse<String> answer =
        post("/encode", CLEAR, "Bearer " + rs256(rotated, claims().build()));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(jwksFetches.get()).as("the unknown kid made it refetch once").isEqualTo(2);
  }

  @Test
  void madeUpKeyIdsAreRefusedWithoutHammeringTheProvider() throws Exception {
    startOidcOnly();
    assertThat(post("/encode", CLEAR, "Bearer " + valid()).statusCode()).isEqualTo(200);

    List<String> reasons = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      RSAKey unknown = new RSAKeyGenerator(2048).keyID("made-up-" + i).generate();
      HttpResponse<String> answer =
          post("/encode", CLEAR, "Bearer " + rs256(unknown, claims().build()));
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
      reasons.add(answer.body().strip());
    }
    // Refused as a token without a known key, not blamed on the provider (503).
    assertThat(reasons.get(0)).contains("no matching key");
    assertThat(reasons.subList(1, reasons.size()))
        .allSatisfy(reason -> assertThat(reason).contains("refetched less than 30 s ago"));

    // The first fetch, then one refetch for an unknown kid; the rest are rate-limited.
    assertThat(jwksFetches.get()).isEqualTo(2);
    assertThat(post("/encode", CLEAR, "Bearer " + valid()).statusCode()).isEqualTo(200);
  }

  // ---- refused

  @Test
  void everyTokenThatIsNotAValidAccessTokenOfTheProviderIs401() throws Exception {
    startOidcOnly();
    Instant past = Instant.now().minus(Duration.ofHours(1));
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    Map<String, String> refused = new HashMap<>();
    refused.put(
        "expired",
        rs256(
            rsa,
            claims()
                .issueTime(Date.from(past))
                .notBeforeTime(Date.from(past))
                .expirationTime(Date.from(past.plus(Duration.ofMinutes(5))))
                .build()));
    refused.put(
        "not yet valid",
        rs256(rsa, claims().notBeforeTime(Date.from(Instant.now().plusSeconds(600))).build()));
    refused.put(
        "another issuer",
        rs256(rsa, claims().issuer("https://keycloak.example.com/realms/other").build()));
    refused.put("no subject", rs256(rsa, claims().subject(null).build()));
    // The same kid, signed by a key the provider never published.
    refused.put("signed by another key", rs256(stranger, claims().build()));
    refused.put("alg none", new PlainJWT(claims().build()).serialize());
    refused.put("garbage", "not-a-jwt");
    refused.put("three garbage parts", "a.b.c");

    for (Map.Entry<String, String> bad : refused.entrySet()) {
      HttpResponse<String> answer = post("/decode", CLEAR, "Bearer " + bad.getValue());
      assertThat(answer.statusCode()).as(bad.getKey() + ": " + answer.body()).isEqualTo(401);
      assertThat(answer.headers().firstValue("WWW-Authenticate")).contains("Bearer");
      assertThat(answer.body())
          .as(bad.getKey())
          .startsWith("bearer token refused: ")
          .doesNotContain(bad.getValue());
    }
    assertThat(post("/decode", CLEAR, null).statusCode()).isEqualTo(401);
  }

  @Test
  void theReasonNamesWhatFailed() throws Exception {
    startOidcOnly();
    Instant past = Instant.now().minus(Duration.ofHours(1));

    String expired =
        post(
                "/decode",
                CLEAR,
                "Bearer "
                    + rs256(
                        rsa,
                        claims()
                            .issueTime(Date.from(past))
                            .expirationTime(Date.from(past.plusSeconds(60)))
                            .notBeforeTime(null)
                            .build()))
            .body();
    String issuer =
        post("/decode", CLEAR, "Bearer " + rs256(rsa, claims().issuer("https://evil").build()))
            .body();

    assertThat(expired).containsIgnoringCase("expired");
    assertThat(issuer).contains("iss");
    assertThat(post("/decode", CLEAR, "Bearer garbage").body()).contains("not a JWT");
  }

  @Test
  void withoutTheProvidersKeysTheAnswerIs503() throws Exception {
    URI closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/certs");
    }
    start(
        Optional.of(STATIC_TOKEN),
        new CodecServerSettings.Oidc(ISSUER, closed, Optional.empty(), Optional.empty()));

    HttpResponse<String> answer = post("/decode", CLEAR, "Bearer " + valid());

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
    assertThat(answer.body()).contains("CODEC_SERVER_OIDC_JWKS_URL");
    // The static token does not depend on the provider.
    assertThat(post("/encode", CLEAR, "Bearer " + STATIC_TOKEN).statusCode()).isEqualTo(200);
  }

  @Test
  void thePreflightIsUnchangedAndNeedsNoToken() throws Exception {
    startOidcOnly();

    HttpResponse<String> preflight =
        http.send(
            HttpRequest.newBuilder(server.uri().resolve("/decode"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", UI)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-namespace,authorization")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(UI);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers"))
        .contains(CodecServer.ALLOWED_HEADERS);
    assertThat(jwksFetches.get()).isZero();
  }

  // ---- settings

  @Test
  void anIssuerWithItsJwksIsEnoughWithoutAStaticToken(@TempDir Path dir) throws IOException {
    Environment env =
        environment(
            dir,
            vars -> {
              vars.put("CODEC_SERVER_OIDC_ISSUER", ISSUER);
              vars.put("CODEC_SERVER_OIDC_JWKS_URL", ISSUER + "/protocol/openid-connect/certs");
              vars.put("CODEC_SERVER_OIDC_AUDIENCE", AUDIENCE);
              vars.put("CODEC_SERVER_OIDC_REQUIRED_GROUP", "codec-readers");
            });

    CodecServerSettings settings = CodecServerSettings.fromEnvironment(env);
    env.validate();

    assertThat(settings.token()).isEmpty();
    assertThat(settings.oidc())
        .contains(
            new CodecServerSettings.Oidc(
                ISSUER,
                URI.create(ISSUER + "/protocol/openid-connect/certs"),
                Optional.of(AUDIENCE),
                Optional.of("codec-readers")));
  }

  @Test
  void anIssuerWithoutItsJwksUrlIsRefusedNamingBoth(@TempDir Path dir) throws IOException {
    Environment env = environment(dir, vars -> vars.put("CODEC_SERVER_OIDC_ISSUER", ISSUER));
    CodecServerSettings.fromEnvironment(env);

    assertThatThrownBy(env::validate)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("CODEC_SERVER_OIDC_JWKS_URL is not set")
        .hasMessageContaining(ISSUER + "/protocol/openid-connect/certs")
        .hasMessageNotContaining("neither");
  }

  @Test
  void oidcSettingsWithoutAnIssuerOrThatAreNotUrlsAreRefused(@TempDir Path dir) throws IOException {
    Environment orphan =
        environment(
            dir,
            vars -> {
              vars.put("CODEC_SERVER_OIDC_AUDIENCE", AUDIENCE);
              vars.put("CODEC_SERVER_OIDC_REQUIRED_GROUP", "codec-readers");
            });
    CodecServerSettings.fromEnvironment(orphan);
    assertThatThrownBy(orphan::validate)
        .hasMessageContaining(
            "CODEC_SERVER_OIDC_AUDIENCE is set but CODEC_SERVER_OIDC_ISSUER is not")
        .hasMessageContaining(
            "CODEC_SERVER_OIDC_REQUIRED_GROUP is set but CODEC_SERVER_OIDC_ISSUER is not")
        .hasMessageContaining(
            "neither CODEC_SERVER_TOKEN_FILE nor CODEC_SERVER_OIDC_ISSUER is set");

    Environment notUrls =
        environment(
            dir,
            vars -> {
              vars.put("CODEC_SERVER_OIDC_ISSUER", "keycloak/realms/temporal");
              vars.put("CODEC_SERVER_OIDC_JWKS_URL", "file:///etc/jwks.json");
            });
    CodecServerSettings.fromEnvironment(notUrls);
    assertThatThrownBy(notUrls::validate)
        .hasMessageContaining("CODEC_SERVER_OIDC_ISSUER='keycloak/realms/temporal' is not accepted")
        .hasMessageContaining("CODEC_SERVER_OIDC_JWKS_URL='file:///etc/jwks.json' is not accepted");
  }

  /** PAYLOAD_KEYS_* valid, plus {@code vars}. */
  private static Environment environment(Path dir, Consumer<Map<String, String>> vars)
      throws IOException {
    Files.writeString(dir.resolve("k1"), Base64.getEncoder().encodeToString(new byte[32]));
    Map<String, String> all = new HashMap<>();
    all.put("PAYLOAD_KEYS_DIR", dir.toString());
    all.put("PAYLOAD_KEY_ID", "k1");
    vars.accept(all);
    return Environment.of(all::get);
  }

  private HttpResponse<String> post(String path, String body, String authorization)
      throws Exception {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(server.uri() + path))
            .header("Content-Type", "application/json")
            .header("X-Namespace", "orders")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }
}
