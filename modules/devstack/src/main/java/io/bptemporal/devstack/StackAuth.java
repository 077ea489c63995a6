package io.bptemporal.devstack;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * {@code DEVSTACK_AUTH}: the identity provider of the dev stack, in the stack's own JVM. An EC
 * P-256 signing key generated at start, its public half served as a JWKS on loopback (the URI the
 * server's default JWT claim mapper reads, {@code global.authorization.jwtKeyProvider}), and tokens
 * minted with it: {@code sub} the caller's name, {@code permissions} a list of {@code
 * <namespace>:<role>} (role {@code read}, {@code write}, {@code worker} or {@code admin}; namespace
 * {@code temporal-system} for the whole cluster), signed ES256 with the key's id in the header.
 *
 * <p>Token files are written under {@code <workDir>/auth} (owner-only), one per credential, and
 * replaced atomically: a client that re-reads its file on change (TEMPORAL_AUTH_TOKEN_FILE) picks a
 * new token up without a restart.
 */
public final class StackAuth implements AutoCloseable {
  /** The claim the server reads permissions from ({@code permissionsClaimName}). */
  public static final String PERMISSIONS_CLAIM = "permissions";

  /** Cluster-wide admin: what the stack itself uses to register namespaces. */
  public static final String SYSTEM_ADMIN = "temporal-system:admin";

  private static final Duration TOKEN_LIFETIME = Duration.ofHours(12);

  private final Path dir;
  private final ECKey signingKey;
  private final HttpServer jwks;

  private StackAuth(Path dir, ECKey signingKey, HttpServer jwks) {
    this.dir = dir;
    this.signingKey = signingKey;
    this.jwks = jwks;
  }

  /** Generates the signing key and serves its JWKS on 127.0.0.1 (a free port). */
  public static StackAuth start(Path dir) {
    try {
      Files.createDirectories(dir);
      ECKey key =
          new ECKeyGenerator(Curve.P_256)
              .keyID("devstack-" + UUID.randomUUID())
              .algorithm(JWSAlgorithm.ES256)
              .generate();
      byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/.well-known/jwks.json",
          exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      server.start();
      return new StackAuth(dir, key, server);
    } catch (IOException | JOSEException e) {
      throw new DevStackException("cannot start the dev stack's JWKS: " + e, e);
    }
  }

  /** Where the server reads the public key from. */
  public URI jwksUri() {
    return URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/.well-known/jwks.json");
  }

  /** A signed token for {@code subject} with {@code permissions}, valid for 12 hours. */
  public String token(String subject, List<String> permissions) {
    return token(subject, permissions, TOKEN_LIFETIME);
  }

  /** The same with a lifetime of its own (a negative one mints an expired token). */
  public String token(String subject, List<String> permissions, Duration lifetime) {
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject(subject)
            .issuer("bp-temporal-devstack")
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(lifetime)))
            .claim(PERMISSIONS_CLAIM, List.copyOf(permissions))
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(signingKey.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims);
    try {
      jwt.sign(new ECDSASigner(signingKey));
    } catch (JOSEException e) {
      throw new DevStackException("cannot sign a token for " + subject + ": " + e, e);
    }
    return jwt.serialize();
  }

  /**
   * Writes (or replaces, atomically) {@code <dir>/<subject>.jwt} with a new token: the credential
   * of one process, read through TEMPORAL_AUTH_TOKEN_FILE.
   */
  public Path tokenFile(String subject, List<String> permissions) {
    if (!subject.matches("[a-z0-9][a-z0-9.-]*")) {
      throw new IllegalArgumentException("subject '" + subject + "' is not [a-z0-9.-]+");
    }
    Path file = dir.resolve(subject + ".jwt");
    try {
      Path tmp = Files.createTempFile(dir, subject, ".tmp");
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      Files.writeString(tmp, token(subject, permissions) + "\n");
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw new DevStackException("cannot write the token file " + file + ": " + e, e);
    }
  }

  @Override
  public void close() {
    jwks.stop(0);
  }
}
