package io.bptemporal.pipeline.transform;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A column of the target table that a rule set fills.
 *
 * @param name the column, a lowercase SQL identifier; the record field of the same name gives its
 *     value
 * @param type its SQL type
 * @param required a record without a value for it is rejected (natural key columns are always
 *     required)
 */
public record TargetColumn(String name, ColumnType type, boolean required) {
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  public TargetColumn {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (!IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "column name '"
              + name
              + "' is not accepted: a lowercase SQL identifier"
              + " [a-z_][a-z0-9_]*, at most 63 characters");
    }
  }

  public static TargetColumn required(String name, ColumnType type) {
    return new TargetColumn(name, type, true);
  }

  public static TargetColumn optional(String name, ColumnType type) {
    return new TargetColumn(name, type, false);
  }
}
