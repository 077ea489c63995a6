package io.bptemporal.ordersaga.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.observability.config.ConfigurationException;
import io.bptemporal.observability.config.Environment;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PaymentProviderSettingsTest {

  @Test
  void withoutAUrlTheWorkerRunsLedgerOnly() {
    Environment env = Environment.of(Map.<String, String>of()::get);
    PaymentProviderSettings settings = PaymentProviderSettings.fromEnvironment(env);
    env.validate();

    assertThat(settings.http()).isEmpty();
    assertThat(settings.mode()).startsWith("ledger-only");
  }

  @Test
  void aUrlWithTuningIsReadAndTheBaseGetsATrailingSlash() {
    Environment env =
        Environment.of(
            Map.of(
                    "PAYMENT_PROVIDER_URL", "https://payments.example.com/api",
                    "PAYMENT_PROVIDER_API_KEY", "secret-key",
                    "PAYMENT_PROVIDER_TIMEOUT_MS", "2500",
                    "PAYMENT_PROVIDER_MAX_CONCURRENT_CALLS", "8",
                    "PAYMENT_PROVIDER_BREAKER_OPEN_SECONDS", "45")
                ::get);
    PaymentProviderSettings settings = PaymentProviderSettings.fromEnvironment(env);
    env.validate();

    PaymentProviderSettings.Http http = settings.http().orElseThrow();
    assertThat(http.baseUrl()).isEqualTo(URI.create("https://payments.example.com/api/"));
    assertThat(http.baseUrl().resolve("v1/charges"))
        .isEqualTo(URI.create("https://payments.example.com/api/v1/charges"));
    assertThat(http.apiKey()).contains("secret-key");
    assertThat(http.timeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(http.maxConcurrentCalls()).isEqualTo(8);
    assertThat(http.breaker().openFor()).isEqualTo(Duration.ofSeconds(45));
    assertThat(http.toString()).doesNotContain("secret-key");
  }

  @Test
  void everyProblemIsReportedAtOnceNamingTheVariableAndWhatIsAccepted() {
    Environment env =
        Environment.of(
            Map.of(
                    "PAYMENT_PROVIDER_URL", "ftp://payments.example.com",
                    "PAYMENT_PROVIDER_TIMEOUT_MS", "60000",
                    "PAYMENT_PROVIDER_MAX_CONCURRENT_CALLS", "zero")
                ::get);
    PaymentProviderSettings.fromEnvironment(env);

    assertThatThrownBy(env::validate)
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "PAYMENT_PROVIDER_TIMEOUT_MS='60000' is not accepted: use a whole number from 100 to 10000",
                        "PAYMENT_PROVIDER_MAX_CONCURRENT_CALLS='zero' is not accepted: use a whole number from 1 to 500",
                        "PAYMENT_PROVIDER_URL='ftp://payments.example.com' is not accepted: use an absolute http or https"
                            + " URL without query or fragment, e.g. https://payments.example.com/"));
  }

  @Test
  void anApiKeyWithoutAUrlIsAMistakeNotLedgerOnlyMode() {
    Environment env = Environment.of(Map.of("PAYMENT_PROVIDER_API_KEY", "k")::get);
    PaymentProviderSettings.fromEnvironment(env);

    assertThatThrownBy(env::validate)
        .hasMessageContaining("PAYMENT_PROVIDER_API_KEY is set but PAYMENT_PROVIDER_URL is not");
  }
}
