package io.bptemporal.pipeline.transform;

import java.util.List;

/**
 * One named step of a {@link RuleSet}: normalises, validates or enriches a record. A rule is
 * skipped for a record when one of its {@link #fields()} already failed an earlier rule, so a bad
 * value is reported once, not again by every rule after it. Ready-made rules: {@link FieldRules}; a
 * custom rule implements this interface.
 */
public interface Rule {

  /**
   * Unique within its rule set, {@code <field>.<check>} by convention, e.g. {@code email.format}.
   */
  String name();

  RuleKind kind();

  /** The fields the rule reads. */
  List<String> fields();

  /**
   * The fields the rule sets from others (enrichment). When the rule is skipped because an input
   * failed, these count as failed too, so a missing derived value is not reported on top of the bad
   * input it comes from.
   */
  default List<String> outputs() {
    return List.of();
  }

  /**
   * Applies the rule: change fields through {@code record}, or report with {@link
   * WorkingRecord#reject}.
   */
  void apply(WorkingRecord record);
}
