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
 * What the codec server reads (docs/operations/configuration.md): its port, the bearer token every
 * call must carry (from a Secret file: the server decrypts for whoever calls it), the Web UI's
 * origin it allows for CORS, and the payload keys. Without a token or without keys it does not
 * start.
 */
public record CodecServerSettings(
    int port, String token, Optional<String> allowedOrigin, PayloadKeys keys) {

  public static final int DEFAULT_PORT = 8089;

  public CodecServerSettings {
    allowedOrigin = allowedOrigin == null ? Optional.empty() : allowedOrigin;
  }

  /**
   * Reads CODEC_SERVER_* and PAYLOAD_KEYS_*; problems are recorded on {@code env}. Usable only once
   * {@code env.validate()} has passed (with problems the token may be empty and the keys absent).
   */
  public static CodecServerSettings fromEnvironment(Environment env) {
    int port = env.integer("CODEC_SERVER_PORT", DEFAULT_PORT, 0, 65535);
    String token = "";
    Optional<String> tokenFileName = env.optional("CODEC_SERVER_TOKEN_FILE");
    if (tokenFileName.isEmpty()) {
      env.problem(
          "CODEC_SERVER_TOKEN_FILE is not set: the codec server decrypts payloads for whoever"
              + " calls it, so it does not start without a bearer token; mount a Secret holding"
              + " the token and name its file here");
    } else {
      Optional<Path> file = env.readableFile("CODEC_SERVER_TOKEN_FILE");
      if (file.isPresent()) {
        try {
          token = Files.readString(file.get(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
          env.problem(
              "CODEC_SERVER_TOKEN_FILE='" + file.get() + "' cannot be read: " + e.getMessage());
        }
        if (token.length() < 16 || token.chars().anyMatch(Character::isWhitespace)) {
          env.problem(
              "CODEC_SERVER_TOKEN_FILE='"
                  + file.get()
                  + "' is not accepted: the token must be at least 16 characters without"
                  + " whitespace, e.g. `head -c 32 /dev/urandom | base64`");
          token = "";
        }
      }
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
    return new CodecServerSettings(port, token, origin, keys.orElse(null));
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
        + ", token=***, allowedOrigin="
        + allowedOrigin.orElse("none")
        + ", keys="
        + keys
        + "]";
  }
}
