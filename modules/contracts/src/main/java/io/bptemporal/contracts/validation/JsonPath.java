package io.bptemporal.contracts.validation;

import java.util.regex.Pattern;

/**
 * A location in a JSON document written the way users read it: {@code $}, {@code
 * $.trigger.cron[1]}, {@code $.input['odd key']}.
 */
public record JsonPath(String value) {

  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final JsonPath ROOT = new JsonPath("$");

  public static JsonPath root() {
    return ROOT;
  }

  public JsonPath property(String name) {
    if (PLAIN_NAME.matcher(name).matches()) {
      return new JsonPath(value + "." + name);
    }
    return new JsonPath(value + "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']");
  }

  public JsonPath index(int index) {
    return new JsonPath(value + "[" + index + "]");
  }

  @Override
  public String toString() {
    return value;
  }
}
