package io.bptemporal.contracts.runactivity;

import com.fasterxml.jackson.databind.JsonNode;
import io.bptemporal.contracts.activity.DurationText;
import io.bptemporal.contracts.event.EventEnvelopeRules;
import io.bptemporal.contracts.validation.DocumentRules;
import io.bptemporal.contracts.validation.JsonPath;
import io.bptemporal.contracts.validation.SchemaVersion;
import io.bptemporal.contracts.validation.Violations;
import java.time.Duration;
import java.util.Optional;

/**
 * What a subject-events request's schema cannot say: an idle timeout that can elapse, pending
 * events of this subject with an envelope version this library reads.
 */
public final class SubjectEventsRequestRules implements DocumentRules {

  public static final Duration MIN_IDLE_TIMEOUT = Duration.ofSeconds(1);

  @Override
  public void check(JsonNode document, Violations violations) {
    JsonPath root = JsonPath.root();
    JsonNode idle = document.path("idle_timeout");
    if (idle.isTextual()) {
      Optional<Duration> parsed = DurationText.tryParse(idle.asText());
      if (parsed.isPresent() && parsed.get().compareTo(MIN_IDLE_TIMEOUT) < 0) {
        violations.add(
            root.property("idle_timeout"),
            "is shorter than 1s",
            "a duration of at least 1s, e.g. 24h (the default)",
            idle);
      }
    }
    JsonNode subject = document.path("subject");
    JsonNode pending = document.path("pending_events");
    for (int i = 0; pending.isArray() && i < pending.size(); i++) {
      JsonNode event = pending.get(i);
      if (!event.isObject()) {
        continue;
      }
      JsonPath at = root.property("pending_events").index(i);
      JsonNode version = event.path("schema_version");
      Optional<SchemaVersion> parsed =
          version.isTextual() ? SchemaVersion.parse(version.asText()) : Optional.empty();
      if (parsed.isPresent() && !parsed.get().readable()) {
        violations.add(
            at.property("schema_version"),
            parsed.get().unknownMajorMessage(),
            SchemaVersion.ACCEPTED,
            version);
      }
      new EventEnvelopeRules(at).check(event, violations);
      JsonNode eventSubject = event.path("subject");
      if (subject.isTextual() && !eventSubject.equals(subject)) {
        violations.add(
            at.property("subject"),
            "is not the request's subject",
            "the subject of the request: " + subject,
            eventSubject);
      }
    }
  }
}
