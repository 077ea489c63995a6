package io.bptemporal.contracts.runactivity;

import com.fasterxml.jackson.databind.JsonNode;
import io.bptemporal.contracts.event.EventEnvelopeRules;
import io.bptemporal.contracts.validation.DocumentRules;
import io.bptemporal.contracts.validation.JsonPath;
import io.bptemporal.contracts.validation.SchemaVersion;
import io.bptemporal.contracts.validation.Violations;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * What a run-activity request's schema cannot say: one reason per run, a sane compressed window.
 */
public final class RunActivityRequestRules implements DocumentRules {

  @Override
  public void check(JsonNode document, Violations violations) {
    JsonPath root = JsonPath.root();
    JsonNode scheduledFor = document.path("scheduled_for");
    JsonNode event = document.path("trigger_event");
    if (!scheduledFor.isMissingNode() && !event.isMissingNode()) {
      violations.add(
          root.property("trigger_event"),
          "is given together with scheduled_for",
          "either scheduled_for (a scheduled run) or trigger_event (an event run), or neither"
              + " (a run started by the activity's Temporal Schedule)",
          event);
    }
    Optional<Instant> scheduled = instant(scheduledFor);
    if (scheduled.isPresent() && scheduled.get().getNano() != 0) {
      violations.add(
          root.property("scheduled_for"),
          "has a fraction of a second",
          "a whole second, e.g. 2026-11-21T00:00:00Z (the run's ID is built from it)",
          scheduledFor);
    }
    if (event.isObject()) {
      JsonNode version = event.path("schema_version");
      Optional<SchemaVersion> parsed =
          version.isTextual() ? SchemaVersion.parse(version.asText()) : Optional.empty();
      if (parsed.isPresent() && !parsed.get().readable()) {
        violations.add(
            root.property("trigger_event").property("schema_version"),
            parsed.get().unknownMajorMessage(),
            SchemaVersion.ACCEPTED,
            version);
      }
      new EventEnvelopeRules(root.property("trigger_event")).check(event, violations);
    }
    JsonNode window = document.path("compressed_window");
    if (window.isObject()) {
      if (event.isObject()) {
        violations.add(
            root.property("compressed_window"),
            "is given for an event run",
            "compressed_window only with a scheduled run",
            window);
      }
      Optional<Instant> from = instant(window.path("missed_from"));
      Optional<Instant> to = instant(window.path("missed_to"));
      if (from.isPresent() && to.isPresent() && to.get().isBefore(from.get())) {
        violations.add(
            root.property("compressed_window").property("missed_to"),
            "is before missed_from (" + from.get() + ")",
            "an instant at or after missed_from",
            window.path("missed_to"));
      }
      if (to.isPresent() && scheduled.isPresent() && !to.get().equals(scheduled.get())) {
        violations.add(
            root.property("compressed_window").property("missed_to"),
            "differs from scheduled_for (" + scheduled.get() + ")",
            "the compressed run is scheduled for the last missed time: missed_to = scheduled_for",
            window.path("missed_to"));
      }
    }
  }

  private static Optional<Instant> instant(JsonNode node) {
    if (!node.isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(node.asText()).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
