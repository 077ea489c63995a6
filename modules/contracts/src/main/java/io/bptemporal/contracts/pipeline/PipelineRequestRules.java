package io.bptemporal.contracts.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.bptemporal.contracts.validation.DocumentRules;
import io.bptemporal.contracts.validation.JsonPath;
import io.bptemporal.contracts.validation.Violations;

/**
 * A file source takes no query; a batch fits into a partition. (Required fields per type: the
 * schema.)
 */
public final class PipelineRequestRules implements DocumentRules {

  @Override
  public void check(JsonNode document, Violations violations) {
    JsonPath root = JsonPath.root();
    JsonNode source = document.path("source");
    String type = source.path("type").asText("");
    if ((type.equals("NDJSON") || type.equals("CSV")) && source.has("query")) {
      violations.add(
          root.property("source").property("query"),
          "is not used by a " + type + " source",
          "query only with type POSTGRES; a file source is read whole",
          source.get("query"));
    }
    JsonNode batch = document.path("batch_size");
    JsonNode partition = document.path("partition_size");
    long partitionSize =
        partition.isIntegralNumber() ? partition.asLong() : PipelineRequest.DEFAULT_PARTITION_SIZE;
    if (batch.isIntegralNumber() && batch.asLong() > partitionSize) {
      violations.add(
          root.property("batch_size"),
          "is larger than partition_size (" + partitionSize + ")",
          "a batch size no larger than partition_size",
          batch);
    }
  }
}
