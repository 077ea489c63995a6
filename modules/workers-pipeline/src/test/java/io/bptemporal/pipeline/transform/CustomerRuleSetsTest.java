package io.bptemporal.pipeline.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.pipeline.PipelineSetupException;
import io.bptemporal.pipeline.source.SourceRecord;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CustomerRuleSetsTest {
  private final RecordTransformer transformer =
      CustomerRuleSets.customersV1().forNaturalKey(List.of("customer_id"));

  private static SourceRecord record(Object... keyValues) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      fields.put((String) keyValues[i], keyValues[i + 1]);
    }
    return SourceRecord.parsed(7, "in.ndjson:8", fields.toString(), fields);
  }

  private Map<String, Object> row(Transformed transformed) {
    assertThat(transformed)
        .as("accepted, but: %s", transformed)
        .isInstanceOf(Transformed.Accepted.class);
    Map<String, Object> row = new LinkedHashMap<>();
    List<TargetColumn> columns = transformer.columns();
    for (int i = 0; i < columns.size(); i++) {
      row.put(columns.get(i).name(), ((Transformed.Accepted) transformed).values().get(i));
    }
    return row;
  }

  @Test
  void normalisesAndEnrichesAGoodRecord() {
    Map<String, Object> row =
        row(
            transformer.transform(
                record(
                    "customer_id",
                    " c-0000042 ",
                    "email",
                    " Ada@Example.ORG",
                    "name",
                    "  Ada   Lovelace ",
                    "country",
                    " gb",
                    "credit_limit_cents",
                    "150000",
                    "signup_date",
                    "2021-03-04",
                    "ignored_extra",
                    "x")));

    assertThat(row)
        .containsEntry("customer_id", "c-0000042")
        .containsEntry("email", "ada@example.org")
        .containsEntry("name", "Ada Lovelace")
        .containsEntry("country", "GB")
        .containsEntry("country_name", "United Kingdom")
        .containsEntry("email_domain", "example.org")
        .containsEntry("credit_limit_cents", 150_000L)
        .containsEntry("segment", "silver")
        .containsEntry("signup_date", LocalDate.of(2021, 3, 4));
  }

  @Test
  void optionalFieldsMayBeAbsentAndTheSegmentDefaults() {
    Map<String, Object> row =
        row(transformer.transform(record("customer_id", "c-1", "email", "a@b.de", "name", "A")));

    assertThat(row)
        .containsEntry("country", null)
        .containsEntry("credit_limit_cents", null)
        .containsEntry("segment", "standard")
        .containsEntry("signup_date", null);
  }

  @Test
  void rejectsWithEveryReasonNamingRuleFieldValueAndWhatIsAccepted() {
    Transformed result =
        transformer.transform(
            record(
                "customer_id",
                "c-1",
                "email",
                "not-an-email",
                "name",
                "N",
                "country",
                "XX",
                "credit_limit_cents",
                -5,
                "signup_date",
                "2021-13-45"));

    assertThat(result).isInstanceOf(Transformed.Rejected.class);
    Transformed.Rejected rejected = (Transformed.Rejected) result;
    assertThat(rejected.violations())
        .extracting(RuleViolation::rule)
        .containsExactly(
            "customers-v1/email.format",
            "customers-v1/country.code",
            "customers-v1/credit_limit_cents.integer",
            "customers-v1/signup_date.date");
    assertThat(rejected.violations().get(0).toString())
        .isEqualTo(
            "email: does not have the accepted format (found"
                + " \"not-an-email\"; accepted: an e-mail address local@domain.tld) [customers-v1/email.format]");
    assertThat(rejected.violations().get(2).value()).isEqualTo("-5");
    // A rejected e-mail is reported once: the enrichment that needs it and the required column do
    // not pile on.
    assertThat(rejected.violations()).extracting(RuleViolation::field).doesNotHaveDuplicates();
  }

  @Test
  void aMissingNaturalKeyIsRejectedByTheRequiredRule() {
    Transformed.Rejected rejected =
        (Transformed.Rejected)
            transformer.transform(record("customer_id", "   ", "email", "a@b.de", "name", "A"));

    assertThat(rejected.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.rule()).isEqualTo("customers-v1/customer_id.required");
              assertThat(v.value()).isEqualTo(RuleViolation.MISSING);
            });
  }

  @Test
  void anUnparseableRecordIsRejectedWithTheSourcesReason() {
    Transformed.Rejected rejected =
        (Transformed.Rejected)
            transformer.transform(
                SourceRecord.unreadable(
                    3, "in.ndjson:4", "{\"a\": ", "not valid JSON: Unexpected end-of-input"));

    assertThat(rejected.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.rule()).isEqualTo("customers-v1/source.parse");
              assertThat(v.message()).contains("not valid JSON");
            });
  }

  @Test
  void aNaturalKeyTheRuleSetDoesNotFillIsASetupError() {
    assertThatThrownBy(
            () -> CustomerRuleSets.customersV1().forNaturalKey(List.of("tenant_id", "customer_id")))
        .isInstanceOf(PipelineSetupException.class)
        .hasMessageContaining("natural_key [tenant_id] is not filled by rule set customers-v1");
  }

  @Test
  void aNaturalKeyColumnBecomesRequiredEvenWhenTheRuleSetDeclaresItOptional() {
    RecordTransformer byCountry =
        CustomerRuleSets.customersV1().forNaturalKey(List.of("customer_id", "country"));

    Transformed.Rejected rejected =
        (Transformed.Rejected)
            byCountry.transform(record("customer_id", "c-1", "email", "a@b.de", "name", "A"));

    assertThat(rejected.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.rule()).isEqualTo("customers-v1/country.column");
              assertThat(v.message()).contains("natural key [customer_id, country]");
            });
  }

  @Test
  void theRegistryNamesTheKnownRuleSetsWhenOneIsUnknown() {
    RuleSetRegistry registry = RuleSetRegistry.installed();

    assertThat(registry.require("customers-v1").name()).isEqualTo("customers-v1");
    assertThatThrownBy(() -> registry.require("orders-v9"))
        .isInstanceOf(PipelineSetupException.class)
        .hasMessageContaining(
            "rule_set 'orders-v9' is not known to this worker; accepted: one of [customers-v1");
  }

  @Test
  void twoRuleSetsWithOneNameAreRefused() {
    assertThatThrownBy(
            () ->
                RuleSetRegistry.of(
                    List.of(CustomerRuleSets.customersV1(), CustomerRuleSets.customersV1())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two rule sets are named customers-v1");
  }

  @Test
  void columnTypesConvertOnlyWhatIsUnambiguous() {
    assertThat(ColumnType.BIGINT.coerce("42")).contains(42L);
    assertThat(ColumnType.BIGINT.coerce(new java.math.BigDecimal("4.5"))).isEmpty();
    assertThat(ColumnType.BOOLEAN.coerce("yes")).isEmpty();
    assertThat(ColumnType.TIMESTAMPTZ.coerce("2026-11-21T01:00:00+01:00"))
        .contains(java.time.OffsetDateTime.parse("2026-11-21T00:00:00Z"));
    assertThat(
            ColumnType.JSONB.coerce(
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                    .objectNode()
                    .put("a", 1)))
        .contains("{\"a\":1}");
  }
}
