package io.bptemporal.runtime.temporal.codec;

import io.bptemporal.observability.config.Environment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys payloads are encrypted with (docs/security.md#payload-encryption): one file per
 * key id in {@code PAYLOAD_KEYS_DIR} (a Kubernetes Secret mounted as a directory), each holding the
 * base64 of 32 random bytes. {@code PAYLOAD_KEY_ID} names the key new payloads are written with;
 * every key in the directory is used for reading, so a rotated-out key keeps old histories
 * readable.
 */
public final class PayloadKeys {
  public static final int KEY_BYTES = 32;

  /**
   * Key ids travel in payload metadata and name files: letters, digits, '.', '_' and '-', not
   * starting with '.' (a mounted Secret's own {@code ..data} entries start with one).
   */
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

  private static final String ACCEPTED =
      "use the base64 of exactly 32 random bytes, e.g. `head -c 32 /dev/urandom | base64`";

  private final String currentKeyId;
  private final Map<String, SecretKey> keys;

  private PayloadKeys(String currentKeyId, Map<String, SecretKey> keys) {
    this.currentKeyId = currentKeyId;
    // Sorted, so key ids are listed in the same order in every message and log line.
    this.keys = Collections.unmodifiableSortedMap(new TreeMap<>(keys));
  }

  /**
   * Keys from raw bytes (tests and embedding code); the same checks as the directory's files.
   *
   * @throws IllegalArgumentException naming the key id that is not accepted
   */
  public static PayloadKeys of(String currentKeyId, Map<String, byte[]> rawKeys) {
    Map<String, SecretKey> keys = new TreeMap<>();
    rawKeys.forEach(
        (id, raw) -> {
          if (!KEY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                "key id '" + id + "' is not accepted: use letters, digits, '.', '_' and '-'");
          }
          if (raw.length != KEY_BYTES) {
            throw new IllegalArgumentException(
                "key '" + id + "' has " + raw.length + " bytes: AES-256 takes exactly 32");
          }
          keys.put(id, new SecretKeySpec(raw.clone(), "AES"));
        });
    if (!keys.containsKey(currentKeyId)) {
      throw new IllegalArgumentException(
          "the current key id '" + currentKeyId + "' is not among the keys " + keys.keySet());
    }
    return new PayloadKeys(currentKeyId, keys);
  }

  /**
   * Reads {@code PAYLOAD_KEYS_DIR} and {@code PAYLOAD_KEY_ID}. Neither set: empty (no encryption).
   * Every problem (a file that is not base64 or not 32 bytes, a current id without a file, one
   * variable without the other) is recorded on {@code env}, naming the file or variable and what is
   * accepted.
   */
  public static Optional<PayloadKeys> fromEnvironment(Environment env) {
    Optional<String> dirName = env.optional("PAYLOAD_KEYS_DIR");
    Optional<String> currentId = env.optional("PAYLOAD_KEY_ID");
    if (dirName.isEmpty()) {
      currentId.ifPresent(
          id ->
              env.problem(
                  "PAYLOAD_KEY_ID='"
                      + id
                      + "' is set but PAYLOAD_KEYS_DIR is not: set PAYLOAD_KEYS_DIR to the"
                      + " directory of key files (a mounted Secret), or unset both for no"
                      + " payload encryption"));
      return Optional.empty();
    }
    Path dir = Path.of(dirName.get());
    if (!Files.isDirectory(dir) || !Files.isReadable(dir)) {
      env.problem(
          "PAYLOAD_KEYS_DIR='"
              + dir
              + "' is not a readable directory: mount the payload keys Secret there (one file per"
              + " key id)");
      return Optional.empty();
    }
    Map<String, SecretKey> keys = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> entries = Files.list(dir)) {
      files =
          entries
              .filter(path -> !path.getFileName().toString().startsWith("."))
              .filter(Files::isRegularFile)
              .sorted()
              .toList();
    } catch (IOException e) {
      env.problem("PAYLOAD_KEYS_DIR='" + dir + "' cannot be listed: " + e.getMessage());
      return Optional.empty();
    }
    boolean broken = false;
    for (Path file : files) {
      Optional<SecretKey> key = readKey(env, file);
      key.ifPresent(k -> keys.put(file.getFileName().toString(), k));
      broken |= key.isEmpty();
    }
    if (files.isEmpty()) {
      env.problem(
          "PAYLOAD_KEYS_DIR='"
              + dir
              + "' holds no key files: add one file per key id, each holding "
              + ACCEPTED.substring("use ".length()));
      broken = true;
    }
    if (currentId.isEmpty()) {
      env.problem(
          "PAYLOAD_KEY_ID is not set: name the key new payloads are encrypted with, one of the"
              + " files in PAYLOAD_KEYS_DIR='"
              + dir
              + "' "
              + keys.keySet());
      return Optional.empty();
    }
    if (!files.contains(dir.resolve(currentId.get()))) {
      env.problem(
          "PAYLOAD_KEY_ID='"
              + currentId.get()
              + "' is not accepted: PAYLOAD_KEYS_DIR='"
              + dir
              + "' has no file of that name (key ids there: "
              + keys.keySet()
              + ")");
      return Optional.empty();
    }
    return broken ? Optional.empty() : Optional.of(new PayloadKeys(currentId.get(), keys));
  }

  private static Optional<SecretKey> readKey(Environment env, Path file) {
    String id = file.getFileName().toString();
    String where = "PAYLOAD_KEYS_DIR file '" + file + "' (key id '" + id + "')";
    if (!KEY_ID.matcher(id).matches()) {
      env.problem(
          where
              + " is not accepted: name key files with letters, digits, '.', '_' and '-' only"
              + " (the name is the key id written into every payload)");
      return Optional.empty();
    }
    String content;
    try {
      // Lenient decoding: a byte that is not ASCII fails the base64 check below, which says what
      // is accepted.
      content = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      env.problem(where + " cannot be read: " + e.getMessage());
      return Optional.empty();
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(content);
    } catch (IllegalArgumentException e) {
      env.problem(where + " is not base64: " + ACCEPTED);
      return Optional.empty();
    }
    if (raw.length != KEY_BYTES) {
      env.problem(where + " decodes to " + raw.length + " bytes: " + ACCEPTED + " (AES-256)");
      return Optional.empty();
    }
    return Optional.of(new SecretKeySpec(raw, "AES"));
  }

  /** The id new payloads are encrypted with. */
  public String currentKeyId() {
    return currentKeyId;
  }

  SecretKey currentKey() {
    return keys.get(currentKeyId);
  }

  Optional<SecretKey> key(String keyId) {
    return Optional.ofNullable(keys.get(keyId));
  }

  /** Every id payloads can be read with, sorted. */
  public List<String> keyIds() {
    return List.copyOf(keys.keySet());
  }

  /** Never prints key material. */
  @Override
  public String toString() {
    return "PayloadKeys[current=" + currentKeyId + ", readable=" + keys.keySet() + "]";
  }
}
