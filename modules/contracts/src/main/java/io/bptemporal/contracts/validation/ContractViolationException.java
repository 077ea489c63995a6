package io.bptemporal.contracts.validation;

import java.io.Serial;
import java.util.List;
import java.util.stream.Collectors;

/** A document broke its contract; the message lists every violation, one per line. */
public final class ContractViolationException extends IllegalArgumentException {

  @Serial private static final long serialVersionUID = 1L;

  private final String contract;
  private final transient List<Violation> violations;

  public ContractViolationException(String contract, List<Violation> violations) {
    super(render(contract, violations));
    this.contract = contract;
    this.violations = List.copyOf(violations);
  }

  public String contract() {
    return contract;
  }

  public List<Violation> violations() {
    return violations;
  }

  private static String render(String contract, List<Violation> violations) {
    return violations.size()
        + " violation(s) of "
        + contract
        + ":\n"
        + violations.stream().map(v -> "  " + v).collect(Collectors.joining("\n"));
  }
}
