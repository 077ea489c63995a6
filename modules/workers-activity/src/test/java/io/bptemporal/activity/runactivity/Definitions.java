package io.bptemporal.activity.runactivity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.contracts.activity.ActivityDefinition;

/**
 * Activity definitions for tests, through the contract's validator (so they are what a registry row
 * gives).
 */
final class Definitions {
  private Definitions() {}

  static ActivityDefinition definition(String activityId, long version, String inputJson) {
    String json =
        """
        {"activity_id": "%s", "version": %d, "namespace": "pipelines", "workflow_type": "RunActivityWorkflow",
         "task_queue": "activities-tq", "trigger": {"cron": ["0 2 * * *"]}, "owner": "team-data",
         "policies": {"missed_run": "COMPRESS", "catch_up_window": "6h"}, "input": %s}"""
            .formatted(activityId, version, inputJson);
    return ContractValidator.validateDefinition(json).orElseThrow();
  }

  static ObjectNode json(String text) {
    try {
      return (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
