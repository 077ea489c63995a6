package io.bptemporal.pipeline.transform;

import io.bptemporal.pipeline.source.FieldValues;
import io.bptemporal.pipeline.source.SourceRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A record while its rule set runs: fields that rules change, and the violations found so far. */
public final class WorkingRecord {
  private final SourceRecord source;
  private final String ruleSet;
  private final Map<String, Object> fields;
  private final List<RuleViolation> violations = new ArrayList<>();
  private final Set<String> failed = new HashSet<>(4);

  /**
   * @param ruleOutputs how many fields the rules may set, so that no set() grows the table: growing
   *     it was a top frame of a load's profile (docs/performance.md)
   */
  WorkingRecord(String ruleSet, SourceRecord source, int ruleOutputs) {
    this.ruleSet = ruleSet;
    this.source = source;
    this.fields = HashMap.newHashMap(source.fields().size() + ruleOutputs);
    this.fields.putAll(source.fields());
  }

  public SourceRecord source() {
    return source;
  }

  /** True when the field is present with a non-null value. */
  public boolean has(String field) {
    return fields.get(field) != null;
  }

  public Object get(String field) {
    return fields.get(field);
  }

  /** The value as text when it is a string. */
  public Optional<String> text(String field) {
    return fields.get(field) instanceof String s ? Optional.of(s) : Optional.empty();
  }

  public void set(String field, Object value) {
    fields.put(field, value);
  }

  public boolean failed(String field) {
    return failed.contains(field);
  }

  /** Records that {@code rule} rejects {@code field}, with the field's current value. */
  public void reject(Rule rule, String field, String message, String accepted) {
    Object value = fields.get(field);
    String shown =
        !fields.containsKey(field) || value == null
            ? RuleViolation.MISSING
            : FieldValues.show(value);
    violations.add(new RuleViolation(ruleSet + "/" + rule.name(), field, message, accepted, shown));
    failed.add(field);
  }

  void rejectColumn(String column, String message, String accepted) {
    Object value = fields.get(column);
    String shown = value == null ? RuleViolation.MISSING : FieldValues.show(value);
    violations.add(
        new RuleViolation(ruleSet + "/" + column + ".column", column, message, accepted, shown));
    failed.add(column);
  }

  /**
   * A field whose value cannot be trusted because what it derives from failed (no violation of its
   * own).
   */
  void markFailed(String field) {
    failed.add(field);
  }

  public List<RuleViolation> violations() {
    return Collections.unmodifiableList(violations);
  }
}
