package io.bptemporal.runtime.temporal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.observability.config.ConfigurationException;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.runtime.temporal.TemporalSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PayloadKeysTest {
  @TempDir Path dir;

  @Test
  void unsetMeansNoEncryption() {
    Environment env = Environment.of(Map.<String, String>of()::get);

    assertThat(PayloadKeys.fromEnvironment(env)).isEmpty();
    env.validate();
  }

  @Test
  void readsEveryKeyFileAndWritesWithTheCurrentOne() throws IOException {
    key("2026-01", 32);
    key("2026-07", 32);
    // A mounted Secret's own entries (..data, ..2026_…) are not keys.
    Files.writeString(dir.resolve("..data"), "not a key");
    Environment env = env(Map.of("PAYLOAD_KEY_ID", "2026-07"));

    Optional<PayloadKeys> keys = PayloadKeys.fromEnvironment(env);

    env.validate();
    assertThat(keys).isPresent();
    assertThat(keys.get().currentKeyId()).isEqualTo("2026-07");
    assertThat(keys.get().keyIds()).containsExactly("2026-01", "2026-07");
    assertThat(keys.get().toString()).doesNotContain(Files.readString(dir.resolve("2026-07")));
  }

  @Test
  void theTemporalSettingsCarryTheKeys() throws IOException {
    key("k1", 32);
    Environment env = env(Map.of("PAYLOAD_KEY_ID", "k1"));

    TemporalSettings settings = TemporalSettings.fromEnvironment(env, "orders", "orders-tq");

    env.validate();
    assertThat(settings.payloadKeys()).map(PayloadKeys::currentKeyId).contains("k1");
    assertThat(settings.toString()).contains("payloadEncryption=PayloadKeys[current=k1");
  }

  @Test
  void aKeyOfTheWrongLengthIsNamedWithWhatIsAccepted() throws IOException {
    key("k1", 32);
    key("short", 16);

    assertThatThrownBy(() -> validate(Map.of("PAYLOAD_KEY_ID", "k1")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("PAYLOAD_KEYS_DIR file '" + dir.resolve("short") + "'")
        .hasMessageContaining("(key id 'short') decodes to 16 bytes")
        .hasMessageContaining("exactly 32 random bytes");
  }

  @Test
  void aFileThatIsNotBase64IsNamed() throws IOException {
    key("k1", 32);
    Files.writeString(dir.resolve("typo"), "this is not base64!");

    assertThatThrownBy(() -> validate(Map.of("PAYLOAD_KEY_ID", "k1")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("(key id 'typo') is not base64")
        .hasMessageContaining("head -c 32 /dev/urandom | base64");
  }

  @Test
  void aCurrentIdWithoutAFileNamesTheIdsThatExist() throws IOException {
    key("k1", 32);

    assertThatThrownBy(() -> validate(Map.of("PAYLOAD_KEY_ID", "k9")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("PAYLOAD_KEY_ID='k9' is not accepted")
        .hasMessageContaining("has no file of that name (key ids there: [k1])");
  }

  @Test
  void aDirectoryWithoutTheCurrentIdIsNamed() throws IOException {
    key("k1", 32);

    assertThatThrownBy(() -> validate(Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("PAYLOAD_KEY_ID is not set")
        .hasMessageContaining("[k1]");
  }

  @Test
  void aMissingDirectoryIsNamed() {
    Map<String, String> vars = new HashMap<>();
    vars.put("PAYLOAD_KEYS_DIR", dir.resolve("absent").toString());
    vars.put("PAYLOAD_KEY_ID", "k1");

    assertThatThrownBy(() -> check(vars))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("PAYLOAD_KEYS_DIR='" + dir.resolve("absent") + "'")
        .hasMessageContaining("is not a readable directory");
  }

  @Test
  void anEmptyDirectoryIsNamed() {
    assertThatThrownBy(() -> validate(Map.of("PAYLOAD_KEY_ID", "k1")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("holds no key files");
  }

  @Test
  void aKeyIdWithoutADirectoryIsAProblem() {
    assertThatThrownBy(() -> check(Map.of("PAYLOAD_KEY_ID", "k1")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("PAYLOAD_KEY_ID='k1' is set but PAYLOAD_KEYS_DIR is not");
  }

  @Test
  void rawKeysAreCheckedLikeFiles() {
    assertThatThrownBy(() -> PayloadKeys.of("k1", Map.of("k1", new byte[31])))
        .hasMessageContaining("key 'k1' has 31 bytes");
    assertThatThrownBy(() -> PayloadKeys.of("k2", Map.of("k1", new byte[32])))
        .hasMessageContaining("'k2' is not among the keys [k1]");
  }

  private void key(String id, int bytes) throws IOException {
    Files.writeString(dir.resolve(id), Base64.getEncoder().encodeToString(new byte[bytes]) + "\n");
  }

  private Environment env(Map<String, String> vars) {
    Map<String, String> all = new HashMap<>(vars);
    all.put("PAYLOAD_KEYS_DIR", dir.toString());
    return Environment.of(all::get);
  }

  private void validate(Map<String, String> vars) {
    Environment env = env(vars);
    PayloadKeys.fromEnvironment(env);
    env.validate();
  }

  private static void check(Map<String, String> vars) {
    Environment env = Environment.of(vars::get);
    PayloadKeys.fromEnvironment(env);
    env.validate();
  }
}
