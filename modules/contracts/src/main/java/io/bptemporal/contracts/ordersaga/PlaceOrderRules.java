package io.bptemporal.contracts.ordersaga;

import com.fasterxml.jackson.databind.JsonNode;
import io.bptemporal.contracts.validation.DocumentRules;
import io.bptemporal.contracts.validation.JsonPath;
import io.bptemporal.contracts.validation.Violations;
import java.util.Currency;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

/** A currency must be a real ISO 4217 code; a SKU appears on one line only. */
public final class PlaceOrderRules implements DocumentRules {

    private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());

    @Override
    public void check(JsonNode document, Violations violations) {
        JsonNode currency = document.path("currency");
        if (currency.isTextual() && currency.asText().matches("[A-Z]{3}") && !CURRENCIES.contains(currency.asText())) {
            violations.add(JsonPath.root().property("currency"), "is not an ISO 4217 currency code",
                    "an ISO 4217 code such as EUR, USD, CHF", currency);
        }
        JsonNode lines = document.path("lines");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode sku = lines.path(i).path("sku");
            if (sku.isTextual() && !seen.add(sku.asText())) {
                violations.add(JsonPath.root().property("lines").index(i).property("sku"),
                        "appears on an earlier line too", "each sku on one line; add the quantities up", sku);
            }
        }
    }
}
