package io.bptemporal.pipeline.transform;

import io.bptemporal.contracts.naming.IdentifierFormat;
import io.bptemporal.pipeline.PipelineSetupException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A named, declared list of rules and the target columns they fill. A pipeline names its rule set
 * ({@code rule_set}); the rules run in order on every record; the record is then loaded when no
 * rule rejected it and every column's value has the column's type, else quarantined with every
 * reason.
 *
 * @param name the name pipelines use, {@code rule_set} format, e.g. {@code customers-v1}; a changed
 *     meaning gets a new name ({@code customers-v2}) so that a running pipeline never changes its
 *     rules half-way
 * @param description one line for people
 * @param rules the rules in order
 * @param columns the target columns filled from the record's fields of the same names
 */
public record RuleSet(
    String name, String description, List<Rule> rules, List<TargetColumn> columns) {

  public RuleSet {
    IdentifierFormat.RULE_SET.check(name);
    Objects.requireNonNull(description, "description");
    rules = List.copyOf(rules);
    columns = List.copyOf(columns);
    Set<String> ruleNames = new HashSet<>();
    for (Rule rule : rules) {
      if (!ruleNames.add(rule.name())) {
        throw new IllegalArgumentException(
            "rule set " + name + " declares rule '" + rule.name() + "' twice");
      }
    }
    Set<String> columnNames = new HashSet<>();
    for (TargetColumn column : columns) {
      if (!columnNames.add(column.name())) {
        throw new IllegalArgumentException(
            "rule set " + name + " declares column '" + column.name() + "' twice");
      }
    }
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("rule set " + name + " fills no column");
    }
  }

  public static Builder named(String name, String description) {
    return new Builder(name, description);
  }

  /**
   * This rule set for one pipeline's natural key: the key's columns become required, and a key
   * column the rule set does not fill is refused.
   */
  public RecordTransformer forNaturalKey(Collection<String> naturalKey) {
    Set<String> known = new LinkedHashSet<>();
    columns.forEach(c -> known.add(c.name()));
    List<String> unknown = naturalKey.stream().filter(k -> !known.contains(k)).toList();
    if (!unknown.isEmpty()) {
      throw new PipelineSetupException(
          "natural_key "
              + unknown
              + " is not filled by rule set "
              + name
              + "; accepted:"
              + " columns of the rule set "
              + known);
    }
    List<TargetColumn> bound = new ArrayList<>();
    for (TargetColumn column : columns) {
      bound.add(
          naturalKey.contains(column.name()) && !column.required()
              ? TargetColumn.required(column.name(), column.type())
              : column);
    }
    return new RecordTransformer(this, bound, List.copyOf(naturalKey));
  }

  /** Declares a rule set rule by rule. */
  public static final class Builder {
    private final String name;
    private final String description;
    private final List<Rule> rules = new ArrayList<>();
    private final List<TargetColumn> columns = new ArrayList<>();

    private Builder(String name, String description) {
      this.name = name;
      this.description = description;
    }

    public Builder rule(Rule rule) {
      rules.add(rule);
      return this;
    }

    public Builder column(TargetColumn column) {
      columns.add(column);
      return this;
    }

    public RuleSet build() {
      return new RuleSet(name, description, rules, columns);
    }
  }
}
