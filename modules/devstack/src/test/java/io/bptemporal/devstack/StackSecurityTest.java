package io.bptemporal.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dev stack's CA and token issuer, without a server: what the server will be handed. */
class StackSecurityTest {
  @TempDir Path dir;

  @Test
  void theServerCertificateIsSignedByTheCaAndNamesLoopbackForBothPurposes() throws Exception {
    StackTls tls = StackTls.generate(dir);
    X509Certificate ca = read(tls.caFile());
    X509Certificate server = read(tls.server().certFile());

    server.verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).isZero();
    assertThat(server.getBasicConstraints()).isEqualTo(-1);
    assertThat(server.getSubjectAlternativeNames().stream().map(name -> (Object) name.get(1)))
        .containsExactlyInAnyOrder((Object) "127.0.0.1", "localhost");
    // serverAuth and clientAuth: the services present it to each other too (internode mTLS).
    assertThat(server.getExtendedKeyUsage())
        .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(tls.server()).isEqualTo(tls.server());
  }

  @Test
  void eachClientGetsItsOwnClientOnlyCertificateAndAnOwnerOnlyKey() throws Exception {
    StackTls tls = StackTls.generate(dir);
    StackTls.CertFiles worker = tls.client("order-saga-worker");
    StackTls.CertFiles ui = tls.client("temporal-ui");
    X509Certificate workerCert = read(worker.certFile());

    workerCert.verify(read(tls.caFile()).getPublicKey());
    assertThat(workerCert.getSubjectX500Principal().getName()).isEqualTo("CN=order-saga-worker");
    assertThat(workerCert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(read(ui.certFile()).getSerialNumber()).isNotEqualTo(workerCert.getSerialNumber());
    assertThat(Files.readString(worker.keyFile())).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.getPosixFilePermissions(worker.keyFile()))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    assertThat(tls.client("order-saga-worker")).isEqualTo(worker);
    assertThatThrownBy(() -> tls.client("server")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tokensVerifyWithTheServedJwksAndCarryThePermissions() throws Exception {
    try (StackAuth auth = StackAuth.start(dir)) {
      String body =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(auth.jwksUri()).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      JWKSet jwks = JWKSet.parse(body);
      assertThat(jwks.getKeys()).hasSize(1);
      assertThat(jwks.getKeys().get(0).isPrivate()).as("only the public key is served").isFalse();

      Path file = auth.tokenFile("order-saga-worker", List.of("orders:write"));
      SignedJWT jwt = SignedJWT.parse(Files.readString(file).strip());

      ECKey key = (ECKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
      assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();
      assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("order-saga-worker");
      assertThat(jwt.getJWTClaimsSet().getStringListClaim(StackAuth.PERMISSIONS_CLAIM))
          .containsExactly("orders:write");
      assertThat(jwt.getJWTClaimsSet().getExpirationTime()).isAfter(new Date());
    }
  }

  @Test
  void authImpliesTlsAndNeitherAppliesToAnExistingServer() {
    ToolLocator tools = null; // not consulted by the configuration's checks
    DevStackConfig config =
        DevStackConfig.forTests(tools, dir, Map.of("DEVSTACK_AUTH", "true")::get);
    assertThat(config.auth()).isTrue();
    assertThat(config.tls()).isTrue();
    assertThat(DevStackConfig.forTests(tools, dir, Map.<String, String>of()::get).tls()).isFalse();

    assertThatThrownBy(
            () ->
                DevStackConfig.forTests(
                    tools,
                    dir,
                    Map.of("DEVSTACK_TLS", "true", "TEMPORAL_ADDRESS", "temporal:7233")::get))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("TEMPORAL_ADDRESS");
  }

  private static X509Certificate read(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
