package io.bptemporal.runtime.temporal.codec;

import io.bptemporal.observability.config.Environment;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the codec server reads (docs/operations/configuration.md): its port, the credentials a call
 * must carry (the server decrypts for whoever calls it), the Web UI's origin it allows for CORS,
 * and the payload keys. Two credentials, at least one required: a static bearer token from a Secret
 * file, and the identity provider's access tokens (the Web UI passes the signed-in user's), checked
 * against the provider's JWKS. Without a credential or without keys it does not start.
 */
public record CodecServerSettings(
    int port,
    Optional<String> token,
    Optional<Oidc> oidc,
    Optional<String> allowedOrigin,
    PayloadKeys keys) {

  public static final int DEFAULT_PORT = 8089;

  /**
   * The identity provider whose access tokens the server accepts: signed by a key of {@code
   * jwksUrl}, issued by exactly {@code issuer}, for {@code audience} when set, and carrying {@code
   * requiredGroup} in its {@code groups} claim when set.
   */
  public record Oidc(
      String issuer, URI jwksUrl, Optional<String> audience, Optional<String> requiredGroup) {
    public Oidc {
      audience = audience == null ? Optional.empty() : audience;
      requiredGroup = requiredGroup == null ? Optional.empty() : requiredGroup;
    }
  }

  public CodecServerSettings {
    token = token == null ? Optional.empty() : token;
    oidc = oidc == null ? Optional.empty() : oidc;
    allowedOrigin = allowedOrigin == null ? Optional.empty() : allowedOrigin;
  }

  /** The static token alone, as before OIDC: for tests and the CLI-only setup. */
  public CodecServerSettings(
      int port, String token, Optional<String> allowedOrigin, PayloadKeys keys) {
    this(port, Optional.of(token), Optional.empty(), allowedOrigin, keys);
  }

  /**
   * Reads CODEC_SERVER_* and PAYLOAD_KEYS_*; problems are recorded on {@code env}. Usable only once
   * {@code env.validate()} has passed (with problems the credentials and keys may be absent).
   */
  public static CodecServerSettings fromEnvironment(Environment env) {
    int port = env.integer("CODEC_SERVER_PORT", DEFAULT_PORT, 0, 65535);
    Optional<String> token = Optional.empty();
    Optional<String> tokenFileName = env.optional("CODEC_SERVER_TOKEN_FILE");
    if (tokenFileName.isPresent()) {
      Optional<Path> file = env.readableFile("CODEC_SERVER_TOKEN_FILE");
      if (file.isPresent()) {
        String read = "";
        try {
          read = Files.readString(file.get(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
          env.problem(
              "CODEC_SERVER_TOKEN_FILE='" + file.get() + "' cannot be read: " + e.getMessage());
        }
        if (read.length() < 16 || read.chars().anyMatch(Character::isWhitespace)) {
          env.problem(
              "CODEC_SERVER_TOKEN_FILE='"
                  + file.get()
                  + "' is not accepted: the token must be at least 16 characters without"
                  + " whitespace, e.g. `head -c 32 /dev/urandom | base64`");
        } else {
          token = Optional.of(read);
        }
      }
    }
    Optional<Oidc> oidc = oidc(env);
    if (tokenFileName.isEmpty() && env.optional("CODEC_SERVER_OIDC_ISSUER").isEmpty()) {
      env.problem(
          "neither CODEC_SERVER_TOKEN_FILE nor CODEC_SERVER_OIDC_ISSUER is set: the codec server"
              + " decrypts payloads for whoever calls it, so it does not start without a credential"
              + " to check. Mount a Secret holding a bearer token and name its file in"
              + " CODEC_SERVER_TOKEN_FILE, and/or set CODEC_SERVER_OIDC_ISSUER with"
              + " CODEC_SERVER_OIDC_JWKS_URL to accept the identity provider's access tokens");
    }
    Optional<String> origin = env.optional("CODEC_SERVER_ALLOWED_ORIGIN");
    origin
        .filter(o -> !isOrigin(o))
        .ifPresent(
            o ->
                env.problem(
                    "CODEC_SERVER_ALLOWED_ORIGIN='"
                        + o
                        + "' is not accepted: use the Web UI's origin, scheme://host[:port]"
                        + " without a path, e.g. https://temporal.example.com"));
    Optional<PayloadKeys> keys = PayloadKeys.fromEnvironment(env);
    if (keys.isEmpty() && env.optional("PAYLOAD_KEYS_DIR").isEmpty()) {
      env.problem(
          "PAYLOAD_KEYS_DIR is not set: the codec server needs the payload keys (the same"
              + " PAYLOAD_KEYS_DIR and PAYLOAD_KEY_ID as the workers)");
    }
    return new CodecServerSettings(port, token, oidc, origin, keys.orElse(null));
  }

  /**
   * CODEC_SERVER_OIDC_*. The JWKS URL is required, never discovered: one explicit URL is what the
   * NetworkPolicy must allow and what an operator checks, and discovery would add a second fetch
   * that can fail. The Temporal frontend's {@code keySourceURIs} is the same URL.
   */
  private static Optional<Oidc> oidc(Environment env) {
    Optional<String> issuer = env.optional("CODEC_SERVER_OIDC_ISSUER");
    Optional<String> jwks = env.optional("CODEC_SERVER_OIDC_JWKS_URL");
    Optional<String> audience = env.optional("CODEC_SERVER_OIDC_AUDIENCE");
    Optional<String> group = env.optional("CODEC_SERVER_OIDC_REQUIRED_GROUP");
    if (issuer.isEmpty()) {
      for (String name :
          new String[] {
            "CODEC_SERVER_OIDC_JWKS_URL",
            "CODEC_SERVER_OIDC_AUDIENCE",
            "CODEC_SERVER_OIDC_REQUIRED_GROUP"
          }) {
        env.optional(name)
            .ifPresent(
                v ->
                    env.problem(
                        name
                            + " is set but CODEC_SERVER_OIDC_ISSUER is not: it applies only to the"
                            + " identity provider's tokens; set CODEC_SERVER_OIDC_ISSUER to the"
                            + " provider's issuer URL, e.g."
                            + " https://keycloak.example.com/realms/temporal, or unset it"));
      }
      return Optional.empty();
    }
    boolean valid = true;
    if (!isHttpUrl(issuer.get())) {
      env.problem(
          "CODEC_SERVER_OIDC_ISSUER='"
              + issuer.get()
              + "' is not accepted: use the identity provider's issuer URL exactly as its tokens"
              + " carry it in `iss`, e.g. https://keycloak.example.com/realms/temporal");
      valid = false;
    }
    if (jwks.isEmpty()) {
      env.problem(
          "CODEC_SERVER_OIDC_JWKS_URL is not set: with CODEC_SERVER_OIDC_ISSUER the codec server"
              + " verifies tokens with the identity provider's public keys; set the URL of its JWK"
              + " set, e.g. Keycloak's "
              + issuer.get()
              + "/protocol/openid-connect/certs (the provider's discovery document names it"
              + " jwks_uri)");
      valid = false;
    } else if (!isHttpUrl(jwks.get())) {
      env.problem(
          "CODEC_SERVER_OIDC_JWKS_URL='"
              + jwks.get()
              + "' is not accepted: use an http(s) URL of the identity provider's JWK set, e.g."
              + " https://keycloak.example.com/realms/temporal/protocol/openid-connect/certs");
      valid = false;
    }
    return valid
        ? Optional.of(new Oidc(issuer.get(), URI.create(jwks.get()), audience, group))
        : Optional.empty();
  }

  private static boolean isHttpUrl(String value) {
    try {
      URI uri = new URI(value);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null
          && uri.getRawUserInfo() == null
          && uri.getRawFragment() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static boolean isOrigin(String value) {
    try {
      URI uri = new URI(value);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null
          && uri.getRawUserInfo() == null
          && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
          && uri.getRawQuery() == null
          && uri.getRawFragment() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** Never prints the token or key material. */
  @Override
  public String toString() {
    return "CodecServerSettings[port="
        + port
        + ", token="
        + (token.isPresent() ? "***" : "none")
        + ", oidc="
        + oidc.map(Oidc::toString).orElse("none")
        + ", allowedOrigin="
        + allowedOrigin.orElse("none")
        + ", keys="
        + keys
        + "]";
  }
}
