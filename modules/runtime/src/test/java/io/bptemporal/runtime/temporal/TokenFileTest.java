package io.bptemporal.runtime.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.observability.config.ConfigurationException;
import io.bptemporal.observability.config.Environment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {
  @TempDir Path dir;

  @Test
  void aReplacedTokenIsReadAgainAndAnUnchangedOneIsNot() throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "first-token\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
    TokenFile token = new TokenFile(file);

    assertThat(token.get()).isEqualTo("first-token");

    // Rotation: a new file (a new modification time) is the token of the next call.
    Files.writeString(file, "second-token");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:01:00Z")));
    assertThat(token.get()).isEqualTo("second-token");

    // Mid-rotation the file may be missing for a moment: the last token is kept.
    Files.delete(file);
    assertThat(token.get()).isEqualTo("second-token");
  }

  @Test
  void anEmptyOrMissingFileAtTheFirstCallIsAnErrorNamingTheVariable() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), "  \n");
    assertThatThrownBy(() -> new TokenFile(empty).get())
        .hasMessageContaining("TEMPORAL_AUTH_TOKEN_FILE=" + empty + " is empty");
    assertThatThrownBy(() -> new TokenFile(dir.resolve("missing")).get())
        .hasMessageContaining("cannot read TEMPORAL_AUTH_TOKEN_FILE=");
  }

  @Test
  void aProcessHasOneCredentialAndTheTokenFileNeverAppearsAsToken() throws Exception {
    Path file = Files.writeString(dir.resolve("jwt"), "eyJ-secret-token");
    Environment both =
        Environment.of(
            Map.of("TEMPORAL_API_KEY", "k", "TEMPORAL_AUTH_TOKEN_FILE", file.toString())::get);
    TemporalSettings.fromEnvironment(both, "orders", "tq");
    assertThatThrownBy(both::validate)
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .contains("TEMPORAL_API_KEY and TEMPORAL_AUTH_TOKEN_FILE")));

    Environment one = Environment.of(Map.of("TEMPORAL_AUTH_TOKEN_FILE", file.toString())::get);
    TemporalSettings settings = TemporalSettings.fromEnvironment(one, "orders", "tq");
    one.validate();
    assertThat(settings.authTokenFile()).contains(file);
    assertThat(settings.toString()).doesNotContain("eyJ-secret-token");
  }

  @Test
  void withSecurityTakesTheStacksClientVariables() throws Exception {
    Path file = Files.writeString(dir.resolve("jwt"), "t");
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    TemporalSettings plain =
        new TemporalSettings(
            "127.0.0.1:7233",
            "orders",
            "tq",
            java.util.Optional.empty(),
            java.util.Optional.empty());

    assertThat(plain.withSecurity(Map.of())).isEqualTo(plain);
    TemporalSettings secured =
        plain.withSecurity(
            Map.of(
                "TEMPORAL_TLS_ENABLED", "true",
                "TEMPORAL_TLS_CA_FILE", ca.toString(),
                "TEMPORAL_AUTH_TOKEN_FILE", file.toString()));
    assertThat(secured.tls())
        .get()
        .extracting(TemporalSettings.Tls::caFile)
        .isEqualTo(java.util.Optional.of(ca));
    assertThat(secured.authTokenFile()).contains(file);
    assertThatThrownBy(() -> plain.withSecurity(Map.of("TEMPORAL_AUTH_TOKEN_FILE", "/nope")))
        .isInstanceOf(ConfigurationException.class);
  }
}
