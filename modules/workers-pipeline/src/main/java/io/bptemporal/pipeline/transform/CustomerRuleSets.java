package io.bptemporal.pipeline.transform;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The built-in rule set {@code customers-v1} (the demo's and the tests' data): customer records
 * with an id, an e-mail, a name, a country, a credit limit and a sign-up date, normalised,
 * validated and enriched with the e-mail's domain, the country's English name and a segment derived
 * from the credit limit.
 */
public final class CustomerRuleSets {
  public static final String CUSTOMERS_V1 = "customers-v1";

  /** Deliberately simple: the point is a clear rejection of obvious garbage, not RFC 5322. */
  static final String EMAIL = "[a-z0-9._%+-]+@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,}";

  private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
  private static final Map<String, String> COUNTRY_NAMES = countryNames();

  private CustomerRuleSets() {}

  public static List<RuleSet> all() {
    return List.of(customersV1());
  }

  public static RuleSet customersV1() {
    return RuleSet.named(
            CUSTOMERS_V1,
            "customer master data: normalised, validated, enriched with domain, country"
                + " name and segment")
        .rule(FieldRules.trimToNull("customer_id"))
        .rule(FieldRules.trimToNull("email"))
        .rule(FieldRules.lowercase("email"))
        .rule(FieldRules.trimToNull("name"))
        .rule(FieldRules.collapseWhitespace("name"))
        .rule(FieldRules.trimToNull("country"))
        .rule(FieldRules.uppercase("country"))
        .rule(FieldRules.required("customer_id"))
        .rule(
            FieldRules.matches(
                "customer_id.format",
                "customer_id",
                "[A-Za-z0-9][A-Za-z0-9_-]{0,39}",
                "1-40 letters, digits, '_' or '-', starting with a letter or digit, e.g. c-0000042"))
        .rule(FieldRules.required("email"))
        .rule(
            FieldRules.matches(
                "email.format", "email", EMAIL, "an e-mail address local@domain.tld"))
        .rule(FieldRules.required("name"))
        .rule(FieldRules.maxLength("name", 200))
        .rule(
            FieldRules.oneOf(
                "country.code",
                "country",
                COUNTRIES,
                "an ISO 3166-1 alpha-2 country code, e.g. DE"))
        .rule(FieldRules.integer("credit_limit_cents", 0, 100_000_000_000L))
        .rule(FieldRules.date("signup_date", LocalDate.of(1990, 1, 1), LocalDate.of(2100, 1, 1)))
        .rule(
            FieldRules.derive(
                "email_domain",
                List.of("email"),
                r -> r.text("email").map(e -> e.substring(e.indexOf('@') + 1)).orElse(null)))
        .rule(FieldRules.lookup("country", "country_name", COUNTRY_NAMES))
        .rule(
            FieldRules.of(
                "segment.derive",
                RuleKind.ENRICHMENT,
                List.of("credit_limit_cents"),
                List.of("segment"),
                (rule, r) -> r.set("segment", segment((Long) r.get("credit_limit_cents")))))
        .column(TargetColumn.required("customer_id", ColumnType.TEXT))
        .column(TargetColumn.required("email", ColumnType.TEXT))
        .column(TargetColumn.required("name", ColumnType.TEXT))
        .column(TargetColumn.optional("country", ColumnType.TEXT))
        .column(TargetColumn.optional("country_name", ColumnType.TEXT))
        .column(TargetColumn.required("email_domain", ColumnType.TEXT))
        .column(TargetColumn.optional("credit_limit_cents", ColumnType.BIGINT))
        .column(TargetColumn.required("segment", ColumnType.TEXT))
        .column(TargetColumn.optional("signup_date", ColumnType.DATE))
        .build();
  }

  /** No credit limit given means the standard segment. */
  static String segment(Long creditLimitCents) {
    if (creditLimitCents == null) {
      return "standard";
    }
    if (creditLimitCents >= 1_000_000) {
      return "gold";
    }
    return creditLimitCents >= 100_000 ? "silver" : "standard";
  }

  private static Map<String, String> countryNames() {
    Map<String, String> names = new HashMap<>();
    for (String code : Locale.getISOCountries()) {
      names.put(code, Locale.of("", code).getDisplayCountry(Locale.ENGLISH));
    }
    return names;
  }
}
