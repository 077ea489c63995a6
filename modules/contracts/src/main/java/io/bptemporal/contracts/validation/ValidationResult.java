package io.bptemporal.contracts.validation;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Outcome of validating one document: either the parsed record and no violations, or every
 * violation found and no record.
 *
 * @param contract name of the contract the document was checked against, e.g. {@code
 *     activity-definition}
 * @param value the parsed record when the document is valid
 * @param violations every violation found, in document order of discovery; empty when valid
 */
public record ValidationResult<T>(String contract, Optional<T> value, List<Violation> violations) {

  public ValidationResult {
    Objects.requireNonNull(contract, "contract");
    Objects.requireNonNull(value, "value");
    violations = List.copyOf(violations);
    if (value.isPresent() == !violations.isEmpty()) {
      throw new IllegalArgumentException(
          "a result has either a value or violations, never both or neither");
    }
  }

  public static <T> ValidationResult<T> valid(String contract, T value) {
    return new ValidationResult<>(contract, Optional.of(value), List.of());
  }

  public static <T> ValidationResult<T> invalid(String contract, List<Violation> violations) {
    return new ValidationResult<>(contract, Optional.empty(), violations);
  }

  public boolean valid() {
    return violations.isEmpty();
  }

  /** The parsed record, or a {@link ContractViolationException} listing every violation. */
  public T orElseThrow() {
    return value.orElseThrow(() -> new ContractViolationException(contract, violations));
  }
}
