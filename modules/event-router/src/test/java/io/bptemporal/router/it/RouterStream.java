package io.bptemporal.router.it;

import io.bptemporal.router.MalformedRecords;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The stream of records the router's scale and fault scenarios produce ({@link EventRouterScaleIT},
 * {@link EventRouterFaultsIT}), and the runs it must give: of every ten events seven {@code
 * order.placed} events for the {@code START} route {@link RouterBench#INVOICE} (every fourth of
 * them also for the filtered {@code START} route {@link RouterBench#AUDIT}) and three {@code
 * order.paid} events for the {@code SIGNAL_WITH_START} route {@link RouterBench#SUBJECT}, {@value
 * #EVENTS_PER_SUBJECT} per subject, subjects interleaved; 2% of the events produced a second time
 * 37 records later (a producer retry, both kinds); malformed records spread evenly, cycling through
 * every kind {@link MalformedRecords} knows.
 */
final class RouterStream {
  /** 2% of the events are produced a second time, later in the stream. */
  static final int DUPLICATE_EVERY = 50;

  /** Of every ten events, three go to a subject's long-lived workflow. */
  static final int SIGNALLED_PER_TEN = 3;

  static final int EVENTS_PER_SUBJECT = 10;

  /** Every fourth START event also matches the audit route's filter: a second run. */
  static final int AUDIT_EVERY = 4;

  /** One record of the stream; {@code malformed} is null for a valid envelope. */
  record Planned(String key, byte[] value, MalformedRecords.Malformed malformed) {}

  final int events;
  final int malformed;
  final Set<String> invoiceEvents = new HashSet<>();
  final Set<String> auditEvents = new HashSet<>();
  final Set<String> subjectEvents = new HashSet<>();
  final int signalled;
  final int subjects;
  int duplicates;
  int signalledDuplicates;
  int kinds;

  /** Every record in the order it is produced. */
  final List<Planned> records = new ArrayList<>();

  private RouterStream(int events, int malformed) {
    this.events = events;
    this.malformed = malformed;
    this.signalled = events / 10 * SIGNALLED_PER_TEN / EVENTS_PER_SUBJECT * EVENTS_PER_SUBJECT;
    this.subjects = signalled / EVENTS_PER_SUBJECT;
  }

  /**
   * The stream of {@code events} events (ids prefixed with {@code run}) and {@code malformed}
   * malformed records for a router whose {@code ROUTER_MAX_RECORD_BYTES} is {@code maxBytes}.
   */
  static RouterStream plan(String run, int events, int malformed, int maxBytes) {
    RouterStream s = new RouterStream(events, malformed);
    List<Planned> valid = new ArrayList<>();
    int nextSignalled = 0;
    for (int i = 0; i < events; i++) {
      boolean toSubject = i % 10 < SIGNALLED_PER_TEN && nextSignalled < s.signalled;
      if (toSubject) {
        // Round robin over the subjects: each subject's events are spread over the stream, in
        // their order (seq), interleaved with every other subject's.
        int j = nextSignalled++;
        String subject = subject(j % s.subjects);
        String id = run + "-s" + (j % s.subjects) + "-" + (j / s.subjects);
        s.subjectEvents.add(id);
        valid.add(
            new Planned(
                subject,
                bytes(event(id, RouterBench.PAID, subject, "{\"seq\": " + j / s.subjects + "}")),
                null));
      } else {
        String subject = "order/o-" + i;
        String id = run + "-o" + i;
        boolean audit = i % AUDIT_EVERY == 0;
        s.invoiceEvents.add(id);
        if (audit) {
          s.auditEvents.add(id);
        }
        valid.add(
            new Planned(
                subject,
                bytes(event(id, RouterBench.PLACED, subject, "{\"audit\": " + audit + "}")),
                null));
      }
    }
    // 2% redelivered: the same record again, 37 records later (or at the end), as a producer retry
    // or a replay would send it. One event of each block of 50, at a varying place in the block, so
    // that START and signalled events are both redelivered.
    TreeMap<Integer, List<Planned>> later = new TreeMap<>();
    for (int block = 0; block * DUPLICATE_EVERY < valid.size(); block++) {
      int i = block * DUPLICATE_EVERY + block % 10;
      if (i >= valid.size()) {
        break;
      }
      later
          .computeIfAbsent(Math.min(i + 37, valid.size()), k -> new ArrayList<>())
          .add(valid.get(i));
      s.duplicates++;
      s.signalledDuplicates += valid.get(i).key().startsWith("account/") ? 1 : 0;
    }
    // Malformed records spread evenly, cycling through every kind.
    s.kinds = MalformedRecords.all("kinds", maxBytes).size();
    for (int k = 0; k < malformed; k++) {
      MalformedRecords.Malformed m =
          MalformedRecords.all(run + "-bad" + k, maxBytes).get(k % s.kinds);
      int at = (int) ((long) valid.size() * k / malformed);
      later.computeIfAbsent(at, x -> new ArrayList<>()).add(new Planned("bad-" + k, m.value(), m));
    }
    for (int i = 0; i <= valid.size(); i++) {
      s.records.addAll(later.getOrDefault(i, List.of()));
      if (i < valid.size()) {
        s.records.add(valid.get(i));
      }
    }
    return s;
  }

  /** RunActivity runs the stream must give: one per (activity, event). */
  long expectedRuns() {
    return invoiceEvents.size() + auditEvents.size() + subjectEvents.size();
  }

  /** The expected trigger event ids per activity id. */
  Map<String, Set<String>> expectedByActivity() {
    return Map.of(
        RouterBench.INVOICE, invoiceEvents,
        RouterBench.AUDIT, auditEvents,
        RouterBench.SUBJECT, subjectEvents);
  }

  /** Records of the stream from {@code from} (inclusive) to {@code to} (exclusive). */
  List<Planned> slice(int from, int to) {
    return records.subList(from, to);
  }

  static String subject(int n) {
    return "account/a-" + n;
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String event(String id, String type, String subject, String payload) {
    return "{\"event_id\": \""
        + id
        + "\", \"type\": \""
        + type
        + "\", \"source\": \"bp/router-scale-it\", \"occurred_at\": \"2026-11-21T10:00:00Z\","
        + " \"subject\": \""
        + subject
        + "\", \"schema_version\": \"1.0\", \"payload\": "
        + payload
        + "}";
  }
}
