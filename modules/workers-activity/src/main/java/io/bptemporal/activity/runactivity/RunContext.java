package io.bptemporal.activity.runactivity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bptemporal.contracts.event.EventEnvelope;
import io.bptemporal.contracts.json.ContractJson;
import io.bptemporal.contracts.runactivity.CompressedWindow;
import io.bptemporal.contracts.runactivity.CreateTasks;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The context snapshot of a run: everything its task rules may look at, as one JSON document, and
 * its hash.
 *
 * <pre>{@code
 * {"activity": {"activity_id": "nightly-export", "definition_version": 3},
 *  "input":    {...the definition's input...},
 *  "run":      {"run_key": "...", "scheduled_for": "...", "trigger": "schedule" | "event",
 *               "window": {"from": "...", "to": "...", "missed_count": 1, "compressed": false},
 *               "event": {...the trigger event, event runs only...}},
 *  "facts":    {...activity_context_fact rows of the activity and of '*'...}}
 * }</pre>
 *
 * <p>{@code context_hash} is {@code sha256:<hex>} of the document written canonically (keys sorted,
 * no white space): two runs with equal hashes were given exactly the same, and a re-run whose hash
 * differs saw something else (a new revision, a changed fact).
 */
public record RunContext(ObjectNode document, String hash) {
  private static final ObjectMapper JSON = ContractJson.newObjectMapper();

  public RunContext {
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(hash, "hash");
    document = document.deepCopy();
  }

  @Override
  public ObjectNode document() {
    return document.deepCopy();
  }

  public static RunContext of(CreateTasks run, ObjectNode facts) {
    ObjectNode document = JsonNodeFactory.instance.objectNode();
    ObjectNode activity = document.putObject("activity");
    activity.put("activity_id", run.definition().activityId());
    activity.put("definition_version", run.definition().version());
    document.set("input", run.definition().input());
    ObjectNode runNode = document.putObject("run");
    runNode.put("run_key", run.runKey());
    runNode.put("scheduled_for", run.scheduledFor().toString());
    runNode.put("trigger", run.triggerEvent().isPresent() ? "event" : "schedule");
    ObjectNode window = runNode.putObject("window");
    if (run.compressedWindow().isPresent()) {
      CompressedWindow w = run.compressedWindow().get();
      window.put("from", w.missedFrom().toString());
      window.put("to", w.missedTo().toString());
      window.put("missed_count", w.missedCount());
      window.put("compressed", true);
    } else {
      window.put("from", run.scheduledFor().toString());
      window.put("to", run.scheduledFor().toString());
      window.put("missed_count", 1);
      window.put("compressed", false);
    }
    if (run.triggerEvent().isPresent()) {
      EventEnvelope event = run.triggerEvent().get();
      runNode.set("event", JSON.valueToTree(event));
    }
    document.set("facts", facts.deepCopy());
    return new RunContext(document, hashOf(document));
  }

  /** The names of the facts the snapshot holds. */
  public List<String> factNames() {
    List<String> names = new ArrayList<>();
    document.path("facts").fieldNames().forEachRemaining(names::add);
    return names;
  }

  static String hashOf(JsonNode document) {
    try {
      byte[] canonical =
          JSON.writeValueAsString(canonical(document)).getBytes(StandardCharsets.UTF_8);
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash a run context: " + e.getMessage(), e);
    }
  }

  /** A copy with every object's keys in sorted order, so equal documents give equal bytes. */
  static JsonNode canonical(JsonNode node) {
    if (node.isObject()) {
      ObjectNode sorted = JsonNodeFactory.instance.objectNode();
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      names.forEach(name -> sorted.set(name, canonical(node.get(name))));
      return sorted;
    }
    if (node.isArray()) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      node.forEach(element -> array.add(canonical(element)));
      return array;
    }
    return node;
  }
}
