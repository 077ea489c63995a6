package io.bptemporal.runtime.temporal;

import io.bptemporal.observability.config.Environment;
import io.bptemporal.runtime.temporal.codec.PayloadKeys;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a process reaches Temporal (docs/operations/configuration.md): address, namespace, task
 * queue, optional TLS (server CA and/or client certificate), optional API key and optional payload
 * encryption keys (without them payloads are stored in clear text).
 */
public record TemporalSettings(
    String address,
    String namespace,
    String taskQueue,
    Optional<Tls> tls,
    Optional<String> apiKey,
    Optional<PayloadKeys> payloadKeys) {

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
  }

  /** Without payload encryption (tests, tools that read no keys). */
  public TemporalSettings(
      String address,
      String namespace,
      String taskQueue,
      Optional<Tls> tls,
      Optional<String> apiKey) {
    this(address, namespace, taskQueue, tls, apiKey, Optional.empty());
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
    return new TemporalSettings(
        address,
        namespace,
        taskQueue,
        tls,
        env.optional("TEMPORAL_API_KEY"),
        PayloadKeys.fromEnvironment(env));
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
        + ", payloadEncryption="
        + payloadKeys.map(PayloadKeys::toString).orElse("off")
        + "]";
  }
}
