package io.bptemporal.router.kafka;

import io.bptemporal.observability.config.Environment;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * How the router reaches the broker (docs/event-router.md#configuration): bootstrap servers,
 * security protocol, SASL/SCRAM credentials and TLS stores. The chart maps its Secrets into these
 * variables; no secret is ever printed ({@link #toString()}).
 *
 * @param bootstrapServers {@code host:port[,host:port...]}
 * @param securityProtocol PLAINTEXT, SSL (TLS, optionally mutual) or SASL_SSL (SCRAM over TLS)
 * @param sasl mechanism and credentials, with SASL_SSL only
 * @param tls trust store and (for mTLS) key store, with SSL and SASL_SSL
 */
public record KafkaSettings(
    String bootstrapServers, String securityProtocol, Optional<Sasl> sasl, Optional<Tls> tls) {

  public static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_SSL");
  public static final List<String> MECHANISMS = List.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN");

  private static final Pattern SERVERS =
      Pattern.compile("[^:,/\\s]+:\\d{1,5}(,[^:,/\\s]+:\\d{1,5})*");

  public record Sasl(String mechanism, String username, String password) {
    @Override
    public String toString() {
      return "Sasl[mechanism=" + mechanism + ", username=" + username + ", password=***]";
    }
  }

  /**
   * @param truststore CA bundle (PEM) or trust store (PKCS12/JKS) of the broker's certificates;
   *     empty: the JVM's default trust
   * @param keystore client certificate and key for mutual TLS (PKCS12/JKS, or PEM)
   */
  public record Tls(
      Optional<Path> truststore,
      Optional<String> truststorePassword,
      Optional<Path> keystore,
      Optional<String> keystorePassword) {
    @Override
    public String toString() {
      return "Tls[truststore="
          + truststore.map(Path::toString).orElse("default")
          + ", keystore="
          + keystore.map(Path::toString).orElse("none")
          + "]";
    }
  }

  /** Reads the KAFKA_* variables; problems are recorded on {@code env} (call its validate()). */
  public static KafkaSettings fromEnvironment(Environment env) {
    String servers =
        env.required(
            "KAFKA_BOOTSTRAP_SERVERS",
            "the broker's bootstrap servers, host:port[,host:port...], e.g. kafka-bootstrap:9092");
    if (!servers.isEmpty() && !SERVERS.matcher(servers).matches()) {
      env.problem(
          "KAFKA_BOOTSTRAP_SERVERS='"
              + servers
              + "' is not accepted: use host:port[,host:port...], e.g. kafka-bootstrap:9092");
    }
    String protocol = env.oneOf("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT", PROTOCOLS);
    Optional<Sasl> sasl = Optional.empty();
    if (protocol.equals("SASL_SSL")) {
      sasl =
          Optional.of(
              new Sasl(
                  env.oneOf("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", MECHANISMS),
                  env.required(
                      "KAFKA_SASL_USERNAME", "the SASL user of the router (with SASL_SSL)"),
                  env.required("KAFKA_SASL_PASSWORD", "the password of KAFKA_SASL_USERNAME")));
    } else if (env.optional("KAFKA_SASL_USERNAME").isPresent()) {
      env.problem(
          "KAFKA_SASL_USERNAME is set but KAFKA_SECURITY_PROTOCOL is "
              + protocol
              + ": set KAFKA_SECURITY_PROTOCOL=SASL_SSL to use SASL, or unset the credentials");
    }
    Optional<Tls> tls = Optional.empty();
    if (!protocol.equals("PLAINTEXT")) {
      tls =
          Optional.of(
              new Tls(
                  env.readableFile("KAFKA_TLS_TRUSTSTORE"),
                  env.optional("KAFKA_TLS_TRUSTSTORE_PASSWORD"),
                  env.readableFile("KAFKA_TLS_KEYSTORE"),
                  env.optional("KAFKA_TLS_KEYSTORE_PASSWORD")));
    } else if (env.optional("KAFKA_TLS_TRUSTSTORE").isPresent()
        || env.optional("KAFKA_TLS_KEYSTORE").isPresent()) {
      env.problem(
          "KAFKA_TLS_TRUSTSTORE/KAFKA_TLS_KEYSTORE are set but KAFKA_SECURITY_PROTOCOL is PLAINTEXT:"
              + " set KAFKA_SECURITY_PROTOCOL=SSL or SASL_SSL to use TLS");
    }
    return new KafkaSettings(servers, protocol, sasl, tls);
  }

  /** A plaintext connection to {@code bootstrapServers} (tests, the dev stack). */
  public static KafkaSettings plaintext(String bootstrapServers) {
    return new KafkaSettings(bootstrapServers, "PLAINTEXT", Optional.empty(), Optional.empty());
  }

  /** The connection properties every client of the router shares. */
  public Properties clientProperties(String clientId) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers);
    p.put("client.id", clientId);
    p.put("security.protocol", securityProtocol);
    sasl.ifPresent(
        s -> {
          p.put("sasl.mechanism", s.mechanism());
          String module =
              s.mechanism().startsWith("SCRAM")
                  ? "org.apache.kafka.common.security.scram.ScramLoginModule"
                  : "org.apache.kafka.common.security.plain.PlainLoginModule";
          p.put(
              "sasl.jaas.config",
              module
                  + " required username=\""
                  + jaasQuote(s.username())
                  + "\" password=\""
                  + jaasQuote(s.password())
                  + "\";");
        });
    tls.ifPresent(
        t -> {
          t.truststore()
              .ifPresent(
                  path -> {
                    p.put("ssl.truststore.location", path.toString());
                    p.put("ssl.truststore.type", storeType(path));
                    t.truststorePassword().ifPresent(pw -> p.put("ssl.truststore.password", pw));
                  });
          t.keystore()
              .ifPresent(
                  path -> {
                    p.put("ssl.keystore.location", path.toString());
                    p.put("ssl.keystore.type", storeType(path));
                    t.keystorePassword()
                        .ifPresent(
                            pw -> {
                              p.put("ssl.keystore.password", pw);
                              p.put("ssl.key.password", pw);
                            });
                  });
        });
    return p;
  }

  /**
   * PEM for .pem/.crt files, JKS for .jks, else PKCS12 (what the cert-manager/Strimzi Secrets
   * hold).
   */
  public static String storeType(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".pem") || name.endsWith(".crt")) {
      return "PEM";
    }
    return name.endsWith(".jks") ? "JKS" : "PKCS12";
  }

  private static String jaasQuote(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
