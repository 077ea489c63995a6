package io.bptemporal.contracts.json;

import io.temporal.common.converter.DataConverterException;
import io.temporal.worker.WorkflowImplementationOptions;

/**
 * The workflow implementation options every platform workflow is registered with (the runtime's
 * worker does it): a payload that cannot be decoded — the workflow's input, an activity's result —
 * fails the workflow with {@code INVALID_INPUT} instead of failing its workflow task, which
 * Temporal would retry forever while the workflow sits stuck and its ID stays taken. A signal that
 * cannot be decoded is not affected: the SDK drops it before this option applies.
 */
public final class ContractWorkflowOptions {

  private ContractWorkflowOptions() {}

  public static WorkflowImplementationOptions implementationOptions() {
    return WorkflowImplementationOptions.newBuilder()
        .setFailWorkflowExceptionTypes(DataConverterException.class)
        .build();
  }
}
