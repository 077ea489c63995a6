package io.bptemporal.pipeline.transform;

import io.bptemporal.pipeline.source.SourceRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A rule set bound to a pipeline's natural key: turns source records into rows or rejections. */
public final class RecordTransformer {
  private final RuleSet ruleSet;
  private final List<TargetColumn> columns;
  private final List<String> naturalKey;
  private final int ruleOutputs;

  RecordTransformer(RuleSet ruleSet, List<TargetColumn> columns, List<String> naturalKey) {
    this.ruleSet = ruleSet;
    this.columns = List.copyOf(columns);
    this.naturalKey = naturalKey;
    this.ruleOutputs =
        (int) ruleSet.rules().stream().flatMap(r -> r.outputs().stream()).distinct().count();
  }

  public RuleSet ruleSet() {
    return ruleSet;
  }

  /** The columns of every accepted row, in value order. */
  public List<TargetColumn> columns() {
    return columns;
  }

  public List<String> naturalKey() {
    return naturalKey;
  }

  private static boolean inputsIntact(Rule rule, WorkingRecord working) {
    // A plain loop: this runs for every rule of every record, the hottest line of a load.
    for (String field : rule.fields()) {
      if (working.failed(field)) {
        return false;
      }
    }
    return true;
  }

  public Transformed transform(SourceRecord record) {
    if (record.unreadable().isPresent()) {
      return new Transformed.Rejected(
          record,
          List.of(
              new RuleViolation(
                  ruleSet.name() + "/source.parse",
                  RuleViolation.WHOLE_RECORD,
                  record.unreadable().get(),
                  "a record the source format can parse",
                  "(unparsed; see raw)")));
    }
    WorkingRecord working = new WorkingRecord(ruleSet.name(), record, ruleOutputs);
    for (Rule rule : ruleSet.rules()) {
      if (inputsIntact(rule, working)) {
        rule.apply(working);
      } else {
        rule.outputs().forEach(working::markFailed);
      }
    }
    Object[] values = new Object[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      TargetColumn column = columns.get(i);
      if (working.failed(column.name())) {
        continue;
      }
      Object value = working.get(column.name());
      if (value == null) {
        if (column.required()) {
          working.rejectColumn(
              column.name(),
              naturalKey.contains(column.name())
                  ? "is part of the natural key " + naturalKey + " and missing"
                  : "is required by the target column",
              "a value: " + column.type().accepted());
        }
        continue;
      }
      Optional<Object> coerced = column.type().coerce(value);
      if (coerced.isEmpty()) {
        working.rejectColumn(
            column.name(),
            "does not fit target column " + column.name() + " (" + column.type().sqlName() + ")",
            column.type().accepted());
        continue;
      }
      values[i] = coerced.get();
    }
    if (!working.violations().isEmpty()) {
      return new Transformed.Rejected(record, working.violations());
    }
    // Arrays.asList keeps nulls (optional columns), which List.of refuses.
    return new Transformed.Accepted(
        record, java.util.Collections.unmodifiableList(new ArrayList<>(Arrays.asList(values))));
  }
}
