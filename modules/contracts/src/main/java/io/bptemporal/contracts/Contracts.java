package io.bptemporal.contracts;

import io.bptemporal.contracts.activity.ActivityDefinition;
import io.bptemporal.contracts.activity.ActivityDefinitionRules;
import io.bptemporal.contracts.activity.TaskInstance;
import io.bptemporal.contracts.activity.TaskInstanceRules;
import io.bptemporal.contracts.event.EventEnvelope;
import io.bptemporal.contracts.event.EventEnvelopeRules;
import io.bptemporal.contracts.ordersaga.PlaceOrder;
import io.bptemporal.contracts.ordersaga.PlaceOrderRules;
import io.bptemporal.contracts.pipeline.PipelineRequest;
import io.bptemporal.contracts.pipeline.PipelineRequestRules;
import io.bptemporal.contracts.runactivity.RunActivityRequest;
import io.bptemporal.contracts.runactivity.RunActivityRequestRules;
import io.bptemporal.contracts.validation.Contract;
import java.util.List;

/** Every document type with a JSON Schema, for {@link ContractValidator#validate(Contract, String)}. */
public final class Contracts {

    public static final Contract<EventEnvelope> EVENT_ENVELOPE = new Contract<>("event-envelope",
            "event-envelope.schema.json", EventEnvelope.class, new EventEnvelopeRules(), true);
    public static final Contract<ActivityDefinition> ACTIVITY_DEFINITION = new Contract<>("activity-definition",
            "activity-definition.schema.json", ActivityDefinition.class, new ActivityDefinitionRules(), true);
    public static final Contract<TaskInstance> TASK_INSTANCE = new Contract<>("task-instance",
            "task-instance.schema.json", TaskInstance.class, new TaskInstanceRules(), false);
    public static final Contract<PlaceOrder> PLACE_ORDER = new Contract<>("place-order",
            "place-order.schema.json", PlaceOrder.class, new PlaceOrderRules(), false);
    public static final Contract<PipelineRequest> PIPELINE_REQUEST = new Contract<>("pipeline-request",
            "pipeline-request.schema.json", PipelineRequest.class, new PipelineRequestRules(), false);
    public static final Contract<RunActivityRequest> RUN_ACTIVITY_REQUEST = new Contract<>("run-activity-request",
            "run-activity-request.schema.json", RunActivityRequest.class, new RunActivityRequestRules(), false);

    public static final List<Contract<?>> ALL = List.of(EVENT_ENVELOPE, ACTIVITY_DEFINITION, TASK_INSTANCE,
            PLACE_ORDER, PIPELINE_REQUEST, RUN_ACTIVITY_REQUEST);

    private Contracts() {
    }
}
