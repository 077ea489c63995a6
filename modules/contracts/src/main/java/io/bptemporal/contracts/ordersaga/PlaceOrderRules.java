package io.bptemporal.contracts.ordersaga;

import com.fasterxml.jackson.databind.JsonNode;
import io.bptemporal.contracts.validation.DocumentRules;
import io.bptemporal.contracts.validation.JsonPath;
import io.bptemporal.contracts.validation.Violations;
import java.util.Currency;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A currency must be a real ISO 4217 code; a SKU appears on one line only; the order total stays an
 * exact integer in every language (at most 2^53-1: a JavaScript number loses cents above it).
 */
public final class PlaceOrderRules implements DocumentRules {

  /**
   * 2^53-1: the largest integer every JSON reader (JavaScript's numbers included) holds exactly.
   */
  public static final long MAX_SAFE_INTEGER = 9_007_199_254_740_991L;

  private static final Set<String> CURRENCIES =
      Currency.getAvailableCurrencies().stream()
          .map(Currency::getCurrencyCode)
          .collect(Collectors.toUnmodifiableSet());

  @Override
  public void check(JsonNode document, Violations violations) {
    JsonNode currency = document.path("currency");
    if (currency.isTextual()
        && currency.asText().matches("[A-Z]{3}")
        && !CURRENCIES.contains(currency.asText())) {
      violations.add(
          JsonPath.root().property("currency"),
          "is not an ISO 4217 currency code",
          "an ISO 4217 code such as EUR, USD, CHF",
          currency);
    }
    JsonNode lines = document.path("lines");
    Set<String> seen = new HashSet<>();
    java.math.BigInteger total = java.math.BigInteger.ZERO;
    boolean allAmountsRead = lines.isArray();
    for (JsonNode line : lines) {
      JsonNode quantity = line.path("quantity");
      JsonNode price = line.path("unit_price_cents");
      if (quantity.isIntegralNumber() && price.isIntegralNumber()) {
        total = total.add(quantity.bigIntegerValue().multiply(price.bigIntegerValue()));
      } else {
        allAmountsRead = false;
      }
    }
    if (allAmountsRead && total.compareTo(java.math.BigInteger.valueOf(MAX_SAFE_INTEGER)) > 0) {
      violations.add(
          JsonPath.root().property("lines"),
          "add up to an order total of " + total + ", above 9007199254740991 (2^53-1)",
          "an order total (sum of quantity x unit_price_cents) of at most 9007199254740991",
          lines);
    }
    for (int i = 0; i < lines.size(); i++) {
      JsonNode sku = lines.path(i).path("sku");
      if (sku.isTextual() && !seen.add(sku.asText())) {
        violations.add(
            JsonPath.root().property("lines").index(i).property("sku"),
            "appears on an earlier line too",
            "each sku on one line; add the quantities up",
            sku);
      }
    }
  }
}
