package io.bptemporal.contracts.json;

import io.bptemporal.contracts.validation.Violation;
import io.temporal.common.converter.DataConverterException;
import java.io.Serial;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A payload that breaks its contract, found while decoding it. A {@link DataConverterException}, so
 * that the Temporal SDK treats it as a decoding failure: a signal carrying it is dropped (the
 * workflow goes on), and a workflow input carrying it fails the workflow (the platform's workflows
 * list {@code DataConverterException} as a fail-workflow exception type, see {@link
 * ContractWorkflowOptions}). {@link ContractDataConverter} turns it into the {@code INVALID_INPUT}
 * failure listing every violation.
 */
public final class InvalidPayloadException extends DataConverterException {

  @Serial private static final long serialVersionUID = 1L;

  private final String contract;
  private final transient List<Violation> violations;

  public InvalidPayloadException(String contract, List<Violation> violations) {
    super(render(contract, violations), (Throwable) null);
    this.contract = contract;
    this.violations = List.copyOf(violations);
  }

  /**
   * Name of the contract (schema) or record type the payload was read as, e.g. {@code place-order}.
   */
  public String contract() {
    return contract;
  }

  public List<Violation> violations() {
    return violations;
  }

  /** One line for people: how many violations of which contract, and the first few. */
  public String summary() {
    return summary(contract, violations);
  }

  static String summary(String contract, List<Violation> violations) {
    String first =
        violations.stream().limit(3).map(Violation::toString).collect(Collectors.joining("; "));
    return violations.size()
        + " violation(s) of "
        + contract
        + ": "
        + first
        + (violations.size() > 3 ? "; … (all in the failure details)" : "");
  }

  private static String render(String contract, List<Violation> violations) {
    return violations.size()
        + " violation(s) of "
        + contract
        + ":\n"
        + violations.stream().map(v -> "  " + v).collect(Collectors.joining("\n"));
  }
}
