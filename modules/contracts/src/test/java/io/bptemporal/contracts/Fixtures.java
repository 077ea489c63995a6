package io.bptemporal.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The payload examples in payloads.json: what a client in any language sends for each record. */
public final class Fixtures {

  /** One example document of one record type. */
  public record Fixture(String className, String name, JsonNode json) {
    public Class<?> type() {
      try {
        return Class.forName(className);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(
            "payloads.json names a class that does not exist: " + className, e);
      }
    }

    @Override
    public String toString() {
      return className.substring(className.lastIndexOf('.') + 1) + ": " + name;
    }
  }

  private static final List<Fixture> ALL = load();

  private Fixtures() {}

  public static List<Fixture> all() {
    return ALL;
  }

  /** A fresh copy of the named example, to be modified by a test. */
  public static JsonNode json(String name) {
    return ALL.stream()
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no fixture named " + name))
        .json()
        .deepCopy();
  }

  private static List<Fixture> load() {
    try (InputStream in = Fixtures.class.getResourceAsStream("payloads.json")) {
      JsonNode root = new ObjectMapper().readTree(in);
      List<Fixture> fixtures = new ArrayList<>();
      root.forEach(
          f ->
              fixtures.add(
                  new Fixture(f.get("class").asText(), f.get("name").asText(), f.get("json"))));
      return List.copyOf(fixtures);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
