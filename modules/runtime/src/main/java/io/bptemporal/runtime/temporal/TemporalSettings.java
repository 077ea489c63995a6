package io.bptemporal.runtime.temporal;

import io.bptemporal.observability.config.Environment;
import io.bptemporal.runtime.temporal.codec.PayloadKeys;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a process reaches Temporal (docs/operations/configuration.md): address, namespace, task
 * queue, optional TLS (server CA and/or client certificate), optional credential - an API key, or a
 * token file re-read when it changes ({@code TEMPORAL_AUTH_TOKEN_FILE}) - and optional payload
 * encryption keys (without them payloads are stored in clear text).
 */
public record TemporalSettings(
    String address,
    String namespace,
    String taskQueue,
    Optional<Tls> tls,
    Optional<String> apiKey,
    Optional<PayloadKeys> payloadKeys,
    Optional<Path> authTokenFile) {

  private static final Pattern ADDRESS = Pattern.compile("[^:/\\s]+:\\d{1,5}");

  /** TLS to the frontend; without a CA file the system trust store is used. */
  public record Tls(
      Optional<Path> caFile,
      Optional<Path> certFile,
      Optional<Path> keyFile,
      Optional<String> serverName) {}

  public TemporalSettings {
    tls = tls == null ? Optional.empty() : tls;
    apiKey = apiKey == null ? Optional.empty() : apiKey;
    payloadKeys = payloadKeys == null ? Optional.empty() : payloadKeys;
    authTokenFile = authTokenFile == null ? Optional.empty() : authTokenFile;
  }

  /** Without payload encryption or a token file (tests, tools that read no keys). */
  public TemporalSettings(
      String address,
      String namespace,
      String taskQueue,
      Optional<Tls> tls,
      Optional<String> apiKey) {
    this(address, namespace, taskQueue, tls, apiKey, Optional.empty(), Optional.empty());
  }

  /** Without a token file. */
  public TemporalSettings(
      String address,
      String namespace,
      String taskQueue,
      Optional<Tls> tls,
      Optional<String> apiKey,
      Optional<PayloadKeys> payloadKeys) {
    this(address, namespace, taskQueue, tls, apiKey, payloadKeys, Optional.empty());
  }

  /**
   * The same settings with the security variables of {@code env} - {@code TEMPORAL_TLS_*}, {@code
   * TEMPORAL_AUTH_TOKEN_FILE}, {@code PAYLOAD_KEYS_DIR} / {@code PAYLOAD_KEY_ID} - where {@code
   * env} sets them: for a client in a test that takes them from the stack
   * (StackEndpoints.temporalClientEnv). Fails on a problem in them.
   */
  public TemporalSettings withSecurity(java.util.Map<String, String> env) {
    Environment environment = Environment.of(env::get);
    Optional<Tls> readTls = tls(environment);
    Optional<Path> readToken = environment.readableFile("TEMPORAL_AUTH_TOKEN_FILE");
    Optional<PayloadKeys> readKeys = PayloadKeys.fromEnvironment(environment);
    environment.validate();
    return new TemporalSettings(
        address,
        namespace,
        taskQueue,
        readTls.isPresent() ? readTls : tls,
        apiKey,
        payloadKeys.isPresent() ? payloadKeys : readKeys,
        readToken.isPresent() ? readToken : authTokenFile);
  }

  /**
   * Reads the TEMPORAL_* variables and PAYLOAD_KEYS_DIR / PAYLOAD_KEY_ID; problems are recorded on
   * {@code env} (call its validate()).
   */
  public static TemporalSettings fromEnvironment(
      Environment env, String defaultNamespace, String defaultTaskQueue) {
    String address = env.string("TEMPORAL_ADDRESS", "127.0.0.1:7233");
    if (!ADDRESS.matcher(address).matches()) {
      env.problem(
          "TEMPORAL_ADDRESS='"
              + address
              + "' is not accepted: use host:port, e.g. temporal-frontend:7233");
    }
    String namespace = env.string("TEMPORAL_NAMESPACE", defaultNamespace);
    String taskQueue = env.string("TEMPORAL_TASK_QUEUE", defaultTaskQueue);
    Optional<String> apiKey = env.optional("TEMPORAL_API_KEY");
    Optional<Path> tokenFile = env.readableFile("TEMPORAL_AUTH_TOKEN_FILE");
    if (apiKey.isPresent() && tokenFile.isPresent()) {
      env.problem(
          "TEMPORAL_API_KEY and TEMPORAL_AUTH_TOKEN_FILE are both set: a process has one"
              + " credential, set one of them");
    }
    return new TemporalSettings(
        address,
        namespace,
        taskQueue,
        tls(env),
        apiKey,
        PayloadKeys.fromEnvironment(env),
        tokenFile);
  }

  private static Optional<Tls> tls(Environment env) {
    Optional<Tls> tls = Optional.empty();
    if (env.bool("TEMPORAL_TLS_ENABLED", false)) {
      Optional<Path> cert = env.readableFile("TEMPORAL_TLS_CERT_FILE");
      Optional<Path> key = env.readableFile("TEMPORAL_TLS_KEY_FILE");
      if (cert.isPresent() != key.isPresent()) {
        env.problem(
            "TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE go together (mTLS): set both or neither");
      }
      tls =
          Optional.of(
              new Tls(
                  env.readableFile("TEMPORAL_TLS_CA_FILE"),
                  cert,
                  key,
                  env.optional("TEMPORAL_TLS_SERVER_NAME")));
    }
    return tls;
  }

  /** Never prints the API key. */
  @Override
  public String toString() {
    return "TemporalSettings[address="
        + address
        + ", namespace="
        + namespace
        + ", taskQueue="
        + taskQueue
        + ", tls="
        + tls.isPresent()
        + ", apiKey="
        + (apiKey.isPresent() ? "***" : "none")
        + ", authTokenFile="
        + authTokenFile.map(Path::toString).orElse("none")
        + ", payloadEncryption="
        + payloadKeys.map(PayloadKeys::toString).orElse("off")
        + "]";
  }
}
