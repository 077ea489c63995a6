package io.bptemporal.pipeline.load;

import io.bptemporal.pipeline.transform.TargetColumn;
import java.util.List;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * The table a pipeline upserts into and the statement that does it: {@code INSERT … ON CONFLICT
 * (natural key) DO UPDATE SET <other columns> WHERE <something changed>}. The WHERE skips rows that
 * are already equal, so a replayed batch rewrites nothing (no dead tuples, no triggers).
 *
 * @param name {@code table} or {@code schema.table}, lowercase (the contract's format)
 * @param columns the rule set's columns, in value order
 * @param naturalKey the conflict target
 */
public record TargetTable(String name, List<TargetColumn> columns, List<String> naturalKey) {
  private static final Pattern NAME =
      Pattern.compile("[a-z_][a-z0-9_]{0,62}(\\.[a-z_][a-z0-9_]{0,62})?");

  public TargetTable {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "target_table '"
              + name
              + "' is not accepted: a lowercase table name,"
              + " optionally schema-qualified, e.g. analytics.orders");
    }
    columns = List.copyOf(columns);
    naturalKey = List.copyOf(naturalKey);
  }

  /** {@code "analytics"."orders"}. */
  public String quotedName() {
    StringJoiner parts = new StringJoiner(".");
    for (String part : name.split("\\.")) {
      parts.add(quote(part));
    }
    return parts.toString();
  }

  public String upsertSql() {
    StringJoiner names = new StringJoiner(", ");
    StringJoiner values = new StringJoiner(", ");
    StringJoiner updates = new StringJoiner(", ");
    StringJoiner current = new StringJoiner(", ");
    StringJoiner incoming = new StringJoiner(", ");
    for (TargetColumn column : columns) {
      names.add(quote(column.name()));
      values.add(column.type().placeholder());
      if (!naturalKey.contains(column.name())) {
        updates.add(quote(column.name()) + " = excluded." + quote(column.name()));
        current.add("t." + quote(column.name()));
        incoming.add("excluded." + quote(column.name()));
      }
    }
    StringJoiner key = new StringJoiner(", ");
    naturalKey.forEach(k -> key.add(quote(k)));
    String insert =
        "insert into "
            + quotedName()
            + " as t ("
            + names
            + ") values ("
            + values
            + ") on conflict ("
            + key
            + ")";
    if (updates.length() == 0) {
      return insert + " do nothing";
    }
    // ROW(...) so that a single non-key column still compares as a row.
    return insert
        + " do update set "
        + updates
        + " where row("
        + current
        + ") is distinct from row("
        + incoming
        + ")";
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
