package io.bptemporal.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bptemporal.contracts.activity.ActivityDefinition;
import io.bptemporal.contracts.activity.MissedRunPolicy;
import io.bptemporal.contracts.activity.OverlapPolicy;
import io.bptemporal.contracts.event.EventEnvelope;
import io.bptemporal.contracts.validation.Contract;
import io.bptemporal.contracts.validation.ContractViolationException;
import io.bptemporal.contracts.validation.ValidationResult;
import io.bptemporal.contracts.validation.Violation;
import io.bptemporal.contracts.validation.Violations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ContractValidatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String ENVELOPE = "event envelope";
  private static final String DEFINITION = "activity definition";
  private static final String TASK = "task instance";
  private static final String ORDER = "place order";
  private static final String PIPELINE = "pipeline request from postgres";
  private static final String SCHEDULED_RUN = "scheduled run";
  private static final String EVENT_RUN = "event-triggered run";
  private static final String NEW_CHAIN = "new subject chain";
  private static final String CONTINUED_CHAIN = "subject chain continued as new";

  /**
   * One bad input: a valid example with one change, the contract it is checked against, and the
   * single violation expected — at the path of the change (a JSON pointer, compared in its $.a.b[0]
   * form), with the offending value found there and a message containing {@code message}.
   */
  record BadInput(
      String description,
      Contract<?> contract,
      String example,
      List<Edit> edits,
      String pointer,
      String message) {
    @Override
    public String toString() {
      return description;
    }
  }

  /** Set the value at a JSON pointer (value null = remove it). */
  record Edit(String pointer, String jsonValue) {}

  private static BadInput bad(
      String description,
      Contract<?> contract,
      String example,
      String pointer,
      String jsonValue,
      String message) {
    return new BadInput(
        description, contract, example, List.of(new Edit(pointer, jsonValue)), pointer, message);
  }

  private static BadInput missing(
      String description, Contract<?> contract, String example, String pointer, String message) {
    return new BadInput(
        description, contract, example, List.of(new Edit(pointer, null)), pointer, message);
  }

  static Stream<BadInput> badInputs() {
    var envelope = Contracts.EVENT_ENVELOPE;
    var definition = Contracts.ACTIVITY_DEFINITION;
    var task = Contracts.TASK_INSTANCE;
    var order = Contracts.PLACE_ORDER;
    var pipeline = Contracts.PIPELINE_REQUEST;
    var run = Contracts.RUN_ACTIVITY_REQUEST;
    var subjectEvents = Contracts.SUBJECT_EVENTS_REQUEST;
    return Stream.of(
        // --- event envelope
        missing("envelope without event_id", envelope, ENVELOPE, "/event_id", "is required"),
        bad(
            "event_id with a space",
            envelope,
            ENVELOPE,
            "/event_id",
            "\"evt 1\"",
            "does not have the accepted format"),
        bad(
            "event type in CamelCase",
            envelope,
            ENVELOPE,
            "/type",
            "\"OrderPlaced\"",
            "does not have the accepted format"),
        bad(
            "event type of one word",
            envelope,
            ENVELOPE,
            "/type",
            "\"order\"",
            "does not have the accepted format"),
        bad(
            "empty source",
            envelope,
            ENVELOPE,
            "/source",
            "\"\"",
            "does not have the accepted format"),
        bad(
            "occurred_at without offset",
            envelope,
            ENVELOPE,
            "/occurred_at",
            "\"2026-11-21T08:15:30\"",
            "is not a valid date-time"),
        bad(
            "occurred_at in words",
            envelope,
            ENVELOPE,
            "/occurred_at",
            "\"yesterday\"",
            "is not a valid date-time"),
        bad(
            "upper-case trace_id",
            envelope,
            ENVELOPE,
            "/trace_id",
            "\"4BF92F3577B34DA6A3CE929D0E0E4736\"",
            "does not have the accepted format"),
        bad(
            "all-zero trace_id",
            envelope,
            ENVELOPE,
            "/trace_id",
            "\"00000000000000000000000000000000\"",
            "all-zero trace ID"),
        bad(
            "schema_version without minor",
            envelope,
            ENVELOPE,
            "/schema_version",
            "\"1\"",
            "does not have the accepted format"),
        bad(
            "schema_version of an unknown major",
            envelope,
            ENVELOPE,
            "/schema_version",
            "\"2.0\"",
            "major version 2"),
        bad(
            "payload that is an array",
            envelope,
            ENVELOPE,
            "/payload",
            "[1, 2]",
            "must be an object, not an array"),
        bad(
            "unknown field at a known minor",
            envelope,
            ENVELOPE,
            "/priority",
            "\"high\"",
            "is not a known field"),
        bad(
            "empty subject",
            envelope,
            ENVELOPE,
            "/subject",
            "\"\"",
            "is shorter than 1 character(s)"),
        // --- activity definition: identifiers and required fields
        bad(
            "activity_id with spaces and capitals",
            definition,
            DEFINITION,
            "/activity_id",
            "\"Nightly Export\"",
            "does not have the accepted format"),
        bad(
            "activity_id with a colon",
            definition,
            DEFINITION,
            "/activity_id",
            "\"nightly:export\"",
            "does not have the accepted format"),
        bad(
            "activity_id with a trailing line break",
            definition,
            DEFINITION,
            "/activity_id",
            "\"nightly-export\\n\"",
            "does not have the accepted format"),
        bad("version 0", definition, DEFINITION, "/version", "0", "is less than 1"),
        bad(
            "version as a string",
            definition,
            DEFINITION,
            "/version",
            "\"3\"",
            "must be an integer, not a string"),
        missing("definition without owner", definition, DEFINITION, "/owner", "is required"),
        missing("definition without trigger", definition, DEFINITION, "/trigger", "is required"),
        bad(
            "namespace with capitals",
            definition,
            DEFINITION,
            "/namespace",
            "\"Pipelines\"",
            "does not have the accepted format"),
        bad(
            "task queue with a space",
            definition,
            DEFINITION,
            "/task_queue",
            "\"pipelines tq\"",
            "does not have the accepted format"),
        bad(
            "workflow type starting with a digit",
            definition,
            DEFINITION,
            "/workflow_type",
            "\"1Workflow\"",
            "does not have the accepted format"),
        bad(
            "input that is a string",
            definition,
            DEFINITION,
            "/input",
            "\"x\"",
            "must be an object, not a string"),
        bad(
            "enabled as a string",
            definition,
            DEFINITION,
            "/enabled",
            "\"true\"",
            "must be a boolean, not a string"),
        bad(
            "schema_version of an unknown major on a definition",
            definition,
            DEFINITION,
            "/schema_version",
            "\"3.1\"",
            "major version 3"),
        // --- activity definition: cron
        bad(
            "cron minute out of range",
            definition,
            DEFINITION,
            "/trigger/cron/0",
            "\"61 * * * *\"",
            "minute field '61': 61 is out of range 0-59"),
        bad(
            "cron hour out of range",
            definition,
            DEFINITION,
            "/trigger/cron/1",
            "\"0 24 * * *\"",
            "hour field '24': 24 is out of range 0-23"),
        bad(
            "cron with four fields",
            definition,
            DEFINITION,
            "/trigger/cron/1",
            "\"0 2 * *\"",
            "has 4 field(s), expected 5"),
        bad(
            "cron with seconds",
            definition,
            DEFINITION,
            "/trigger/cron/0",
            "\"0 0 2 * * *\"",
            "use trigger.calendars"),
        bad(
            "cron with Quartz '?'",
            definition,
            DEFINITION,
            "/trigger/cron/0",
            "\"0 0 ? * MON\"",
            "Quartz extension"),
        bad(
            "cron @every",
            definition,
            DEFINITION,
            "/trigger/cron/0",
            "\"@every 5m\"",
            "put intervals in trigger.intervals"),
        bad(
            "cron with CRON_TZ prefix",
            definition,
            DEFINITION,
            "/trigger/cron/0",
            "\"CRON_TZ=Europe/Berlin 0 2 * * *\"",
            "set trigger.time_zone instead"),
        bad(
            "cron unknown day name",
            definition,
            DEFINITION,
            "/trigger/cron/0",
            "\"0 0 * * FUNDAY\"",
            "'FUNDAY' is not a number or a name"),
        bad(
            "cron step 0",
            definition,
            DEFINITION,
            "/trigger/cron/0",
            "\"*/0 * * * *\"",
            "step 0 is less than 1"),
        bad(
            "cron backwards range",
            definition,
            DEFINITION,
            "/trigger/cron/0",
            "\"0 5-2 * * *\"",
            "range '5-2' starts after it ends"),
        bad(
            "cron unknown macro",
            definition,
            DEFINITION,
            "/trigger/cron/0",
            "\"@fortnightly\"",
            "unknown macro '@fortnightly'"),
        bad(
            "cron that is a number",
            definition,
            DEFINITION,
            "/trigger/cron/0",
            "5",
            "must be a string, not an integer"),
        // --- activity definition: zones, durations, intervals, calendars, window
        bad(
            "unknown time zone",
            definition,
            DEFINITION,
            "/trigger/time_zone",
            "\"Mars/Olympus\"",
            "is not an IANA time zone"),
        bad(
            "fixed-offset time zone",
            definition,
            DEFINITION,
            "/trigger/time_zone",
            "\"+02:00\"",
            "is not an IANA time zone"),
        bad(
            "time zone in the wrong case",
            definition,
            DEFINITION,
            "/trigger/time_zone",
            "\"europe/berlin\"",
            "did you mean Europe/Berlin?"),
        bad(
            "ISO-8601 jitter",
            definition,
            DEFINITION,
            "/trigger/jitter",
            "\"PT5M\"",
            "does not have the accepted format"),
        bad(
            "jitter in days",
            definition,
            DEFINITION,
            "/trigger/jitter",
            "\"1d\"",
            "does not have the accepted format"),
        bad(
            "interval of zero",
            definition,
            DEFINITION,
            "/trigger/intervals/0/every",
            "\"0s\"",
            "is zero"),
        bad(
            "interval offset not below every",
            definition,
            DEFINITION,
            "/trigger/intervals/0/offset",
            "\"2h\"",
            "is not shorter than every (1h)"),
        missing(
            "interval without every",
            definition,
            DEFINITION,
            "/trigger/intervals/0/every",
            "is required"),
        bad(
            "calendar hour out of range",
            definition,
            DEFINITION,
            "/trigger/calendars/0/hour",
            "\"25\"",
            "hour field '25': 25 is out of range 0-23"),
        bad(
            "calendar month by full name",
            definition,
            DEFINITION,
            "/trigger/calendars/0/month",
            "\"JANUARY\"",
            "'JANUARY' is not a number or a name"),
        bad(
            "calendar with an unknown field",
            definition,
            DEFINITION,
            "/trigger/calendars/0/weekday",
            "\"MON\"",
            "is not a known field"),
        bad(
            "end_at before start_at",
            definition,
            DEFINITION,
            "/trigger/end_at",
            "\"2025-01-01T00:00:00Z\"",
            "is not after start_at (2026-01-01T00:00:00Z)"),
        bad(
            "start_at in words",
            definition,
            DEFINITION,
            "/trigger/start_at",
            "\"tomorrow\"",
            "is not a valid date-time"),
        bad(
            "trigger that makes nothing due",
            definition,
            DEFINITION,
            "/trigger",
            "{\"time_zone\": \"UTC\"}",
            "has nothing that makes a run due"),
        bad(
            "misspelt trigger field",
            definition,
            DEFINITION,
            "/trigger/cron_expressions",
            "[\"0 2 * * *\"]",
            "is not a known field"),
        bad(
            "event type that is not dotted",
            definition,
            DEFINITION,
            "/trigger/event_types/0",
            "\"OrderPlaced\"",
            "does not have the accepted format"),
        bad(
            "unknown overlap policy",
            definition,
            DEFINITION,
            "/policies/overlap",
            "\"SKIP_ALL\"",
            "is not one of the accepted values"),
        bad(
            "unknown missed-run policy",
            definition,
            DEFINITION,
            "/policies/missed_run",
            "\"BACKFILL\"",
            "is not one of the accepted values"),
        bad(
            "catch-up window below Temporal's minimum",
            definition,
            DEFINITION,
            "/policies/catch_up_window",
            "\"5s\"",
            "shorter than 10s"),
        bad(
            "pause_on_failure as a word",
            definition,
            DEFINITION,
            "/policies/pause_on_failure",
            "\"yes\"",
            "must be a boolean, not a string"),
        // --- task instance
        bad(
            "unknown task status",
            task,
            TASK,
            "/status",
            "\"DONE\"",
            "is not one of the accepted values"),
        bad(
            "task key of another activity",
            task,
            TASK,
            "/task_key",
            "\"other:2026-11-21T00:00:00Z/export.partition/0\"",
            "does not start with the task's activity_id 'nightly-export:'"),
        bad(
            "task kind with spaces",
            task,
            TASK,
            "/kind",
            "\"Export Partition\"",
            "does not have the accepted format"),
        bad(
            "scheduled_for as epoch seconds",
            task,
            TASK,
            "/scheduled_for",
            "1763683200",
            "must be a string, not an integer"),
        missing("task without payload", task, TASK, "/payload", "is required"),
        // --- place order
        bad("order without lines", order, ORDER, "/lines", "[]", "has fewer than 1 item(s)"),
        bad("order line of quantity 0", order, ORDER, "/lines/0/quantity", "0", "is less than 1"),
        bad("negative price", order, ORDER, "/lines/1/unit_price_cents", "-1", "is less than 0"),
        bad(
            "lower-case currency",
            order,
            ORDER,
            "/currency",
            "\"eur\"",
            "does not have the accepted format"),
        bad(
            "currency that does not exist",
            order,
            ORDER,
            "/currency",
            "\"ABC\"",
            "is not an ISO 4217 currency code"),
        bad(
            "same sku on two lines",
            order,
            ORDER,
            "/lines/1/sku",
            "\"SKU-RED-MUG\"",
            "appears on an earlier line too"),
        bad(
            "unknown payment method",
            order,
            ORDER,
            "/payment_method/type",
            "\"CASH\"",
            "is not one of the accepted values"),
        bad(
            "payment token with a space",
            order,
            ORDER,
            "/payment_method/token",
            "\"4242 4242\"",
            "does not have the accepted format"),
        // --- pipeline request
        missing(
            "postgres source without query", pipeline, PIPELINE, "/source/query", "is required"),
        new BadInput(
            "batch larger than partition",
            pipeline,
            PIPELINE,
            List.of(new Edit("/batch_size", "6000"), new Edit("/partition_size", "5000")),
            "/batch_size",
            "is larger than partition_size (5000)"),
        bad(
            "batch size above the maximum",
            pipeline,
            PIPELINE,
            "/batch_size",
            "20000",
            "is greater than 10000"),
        bad(
            "empty natural key",
            pipeline,
            PIPELINE,
            "/natural_key",
            "[]",
            "has fewer than 1 item(s)"),
        bad(
            "natural key column twice",
            pipeline,
            PIPELINE,
            "/natural_key",
            "[\"id\", \"id\"]",
            "has duplicate items"),
        bad(
            "target table in capitals",
            pipeline,
            PIPELINE,
            "/target_table",
            "\"Analytics.Orders\"",
            "does not have the accepted format"),
        bad(
            "unknown source type",
            pipeline,
            PIPELINE,
            "/source/type",
            "\"PARQUET\"",
            "is not one of the accepted values"),
        new BadInput(
            "query on a CSV source",
            pipeline,
            PIPELINE,
            List.of(new Edit("/source/type", "\"CSV\"")),
            "/source/query",
            "is not used by a CSV source"),
        // --- run activity request
        bad(
            "scheduled_for with milliseconds",
            run,
            SCHEDULED_RUN,
            "/scheduled_for",
            "\"2026-11-21T00:00:00.500Z\"",
            "has a fraction of a second"),
        bad(
            "scheduled and event run at once",
            run,
            SCHEDULED_RUN,
            "/trigger_event",
            Fixtures.json(ENVELOPE).toString(),
            "is given together with scheduled_for"),
        bad(
            "definition version 0",
            run,
            SCHEDULED_RUN,
            "/definition_version",
            "0",
            "is less than 1"),
        new BadInput(
            "compressed window ending before it starts",
            run,
            SCHEDULED_RUN,
            List.of(
                new Edit(
                    "/compressed_window",
                    "{\"missed_from\": \"2026-11-22T00:00:00Z\", \"missed_to\": \"2026-11-21T00:00:00Z\", \"missed_count\": 2}")),
            "/compressed_window/missed_to",
            "is before missed_from (2026-11-22T00:00:00Z)"),
        new BadInput(
            "compressed window not ending at scheduled_for",
            run,
            SCHEDULED_RUN,
            List.of(
                new Edit(
                    "/compressed_window",
                    "{\"missed_from\": \"2026-11-19T00:00:00Z\", \"missed_to\": \"2026-11-20T00:00:00Z\", \"missed_count\": 2}")),
            "/compressed_window/missed_to",
            "differs from scheduled_for (2026-11-21T00:00:00Z)"),
        new BadInput(
            "compressed window of zero runs",
            run,
            SCHEDULED_RUN,
            List.of(
                new Edit(
                    "/compressed_window",
                    "{\"missed_from\": \"2026-11-21T00:00:00Z\", \"missed_to\": \"2026-11-21T00:00:00Z\", \"missed_count\": 0}")),
            "/compressed_window/missed_count",
            "is less than 1"),
        bad(
            "triggering event of an unknown major",
            run,
            EVENT_RUN,
            "/trigger_event/schema_version",
            "\"2.0\"",
            "major version 2"),
        bad(
            "triggering event with a bad type",
            run,
            EVENT_RUN,
            "/trigger_event/type",
            "\"Order\"",
            "does not have the accepted format"),
        // --- subject events request
        missing(
            "subject events request without subject",
            subjectEvents,
            NEW_CHAIN,
            "/subject",
            "is required"),
        bad(
            "subject longer than the envelope allows",
            subjectEvents,
            NEW_CHAIN,
            "/subject",
            "\"" + "s".repeat(256) + "\"",
            "is longer than 255 characters"),
        bad(
            "idle timeout of zero",
            subjectEvents,
            NEW_CHAIN,
            "/idle_timeout",
            "\"0s\"",
            "is shorter than 1s"),
        bad(
            "idle timeout in ISO-8601",
            subjectEvents,
            NEW_CHAIN,
            "/idle_timeout",
            "\"PT24H\"",
            "does not have the accepted format"),
        bad(
            "seen event ID with a space",
            subjectEvents,
            CONTINUED_CHAIN,
            "/seen_event_ids/0",
            "\"evt 1\"",
            "does not have the accepted format"),
        bad(
            "pending event of another subject",
            subjectEvents,
            CONTINUED_CHAIN,
            "/pending_events/0/subject",
            "\"order/o-2002\"",
            "is not the request's subject"),
        bad(
            "pending event of an unknown major",
            subjectEvents,
            CONTINUED_CHAIN,
            "/pending_events/0/schema_version",
            "\"2.0\"",
            "major version 2"),
        bad(
            "negative handled count",
            subjectEvents,
            CONTINUED_CHAIN,
            "/counts/handled",
            "-1",
            "is less than 0"),
        // --- order total: exact in every language (JavaScript numbers lose cents above 2^53-1)
        new BadInput(
            "order total above 2^53-1",
            order,
            ORDER,
            List.of(
                new Edit(
                    "/lines",
                    "[{\"sku\": \"SKU-0\", \"quantity\": 10000, \"unit_price_cents\": 100000000000},{\"sku\": \"SKU-1\", \"quantity\": 10000, \"unit_price_cents\": 100000000000},{\"sku\": \"SKU-2\", \"quantity\": 10000, \"unit_price_cents\": 100000000000},{\"sku\": \"SKU-3\", \"quantity\": 10000, \"unit_price_cents\": 100000000000},{\"sku\": \"SKU-4\", \"quantity\": 10000, \"unit_price_cents\": 100000000000},{\"sku\": \"SKU-5\", \"quantity\": 10000, \"unit_price_cents\": 100000000000},{\"sku\": \"SKU-6\", \"quantity\": 10000, \"unit_price_cents\": 100000000000},{\"sku\": \"SKU-7\", \"quantity\": 10000, \"unit_price_cents\": 100000000000},{\"sku\": \"SKU-8\", \"quantity\": 10000, \"unit_price_cents\": 100000000000},{\"sku\": \"SKU-9\", \"quantity\": 10000, \"unit_price_cents\": 100000000000}]")),
            "/lines",
            "above 9007199254740991"),
        // --- signal, results, failure details
        bad(
            "cancel reason that is empty",
            Contracts.CANCEL_REQUEST,
            "cancel signal",
            "/reason",
            "\"\"",
            "is shorter than 1 character(s)"),
        bad(
            "cancel reason under another key",
            Contracts.CANCEL_REQUEST,
            "cancel signal",
            "/why",
            "\"x\"",
            "is not a known field"),
        bad(
            "order total as a float",
            Contracts.ORDER_RESULT,
            "completed order",
            "/total_cents",
            "30.48",
            "must be an integer, not a number"),
        bad(
            "order total above 2^53-1 in a result",
            Contracts.ORDER_RESULT,
            "completed order",
            "/total_cents",
            "9007199254740992",
            "is greater than 9007199254740991"),
        bad(
            "status outcome in lower case",
            Contracts.ORDER_STATUS,
            "status while charging",
            "/outcome",
            "\"in_progress\"",
            "is not one of the accepted values"),
        bad(
            "pipeline result count as a string",
            Contracts.PIPELINE_RESULT,
            "pipeline result",
            "/read",
            "\"25000\"",
            "must be an integer, not a string"),
        bad(
            "progress phase unknown",
            Contracts.PIPELINE_PROGRESS,
            "pipeline progress",
            "/phase",
            "\"DONE\"",
            "is not one of the accepted values"),
        bad(
            "run result context hash without prefix",
            Contracts.RUN_ACTIVITY_RESULT,
            "run result",
            "/context_hash",
            "\"abc\"",
            "does not have the accepted format"),
        missing(
            "subject state without counts",
            Contracts.SUBJECT_EVENTS_STATE,
            "subject events state",
            "/counts",
            "is required"),
        bad(
            "failure code unknown",
            Contracts.FAILURE_DETAILS,
            "invalid input failure",
            "/code",
            "\"OOPS\"",
            "is not one of the accepted values"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void reportsEachBadInputOnceWithItsPathValueAndWhatIsAccepted(BadInput input) throws Exception {
    JsonNode document = Fixtures.json(input.example());
    for (Edit edit : input.edits()) {
      apply(document, edit);
    }

    ValidationResult<?> result = ContractValidator.validate(input.contract(), document.toString());

    assertThat(result.valid()).isFalse();
    assertThat(result.value()).isEmpty();
    String expectedPath = jsonPath(document, input.pointer());
    assertThat(result.violations()).as("violations of " + document).hasSize(1);
    Violation violation = result.violations().getFirst();
    assertThat(violation.path()).isEqualTo(expectedPath);
    assertThat(violation.message()).contains(input.message());
    assertThat(violation.offendingValue())
        .isEqualTo(Violations.render(document.at(input.pointer())));
    assertThat(violation.accepted()).isNotBlank().doesNotContain("see the schema");
  }

  @Test
  void badInputTableCoversEveryContractWithAtLeastThirtyCases() {
    List<BadInput> inputs = badInputs().toList();
    assertThat(inputs).hasSizeGreaterThanOrEqualTo(30);
    assertThat(inputs.stream().map(BadInput::contract).distinct())
        .containsExactlyInAnyOrderElementsOf(Contracts.ALL);
    assertThat(inputs.stream().map(BadInput::description).distinct()).hasSameSizeAs(inputs);
  }

  @Test
  void reportsEveryViolationOfADocumentAtOnce() {
    ObjectNode document = (ObjectNode) Fixtures.json(DEFINITION);
    document.put("activity_id", "Nightly Export");
    document.remove("owner");
    ((ArrayNode) document.get("trigger").get("cron")).set(1, "0 24 * * *");
    ((ObjectNode) document.get("trigger")).put("time_zone", "Mars/Olympus");
    ((ObjectNode) document.get("policies")).put("catch_up_window", "PT1H");
    ((ObjectNode) document.get("policies")).put("overlap", "NEVER");

    ValidationResult<ActivityDefinition> result =
        ContractValidator.validateDefinition(document.toString());

    assertThat(result.violations())
        .extracting(Violation::path)
        .containsExactlyInAnyOrder(
            "$.activity_id",
            "$.owner",
            "$.trigger.cron[1]",
            "$.trigger.time_zone",
            "$.policies.catch_up_window",
            "$.policies.overlap");
    assertThatThrownBy(result::orElseThrow)
        .isInstanceOf(ContractViolationException.class)
        .hasMessageStartingWith("6 violation(s) of activity-definition:")
        .hasMessageContaining(
            "$.trigger.cron[1]: hour field '24': 24 is out of range 0-23 (found \"0 24 * * *\"");
  }

  @Test
  void unknownMajorVersionIsTheOnlyViolationReported() {
    String json = "{\"schema_version\": \"2.0\", \"id\": 7, \"kind\": \"something else entirely\"}";
    ValidationResult<EventEnvelope> result = ContractValidator.validateEnvelope(json);
    assertThat(result.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.path()).isEqualTo("$.schema_version");
              assertThat(v.message())
                  .isEqualTo(
                      "has major version 2, which this reader does not understand (it reads major version 1)");
              assertThat(v.accepted()).contains("any minor version 1.x is read");
              assertThat(v.offendingValue()).isEqualTo("\"2.0\"");
            });
  }

  @Test
  void newerMinorVersionIsReadAndItsNewFieldsIgnored() {
    ObjectNode document = (ObjectNode) Fixtures.json(ENVELOPE);
    document.put("schema_version", "1.7");
    document.put("priority", "high");
    document.putObject("routing").put("region", "eu");

    ValidationResult<EventEnvelope> result =
        ContractValidator.validateEnvelope(document.toString());

    assertThat(result.violations()).isEmpty();
    assertThat(result.orElseThrow().schemaVersion()).isEqualTo("1.7");
    assertThat(result.orElseThrow().type()).isEqualTo("order.placed");
  }

  @Test
  void newerMinorVersionStillChecksTheFieldsItKnows() {
    ObjectNode document = (ObjectNode) Fixtures.json(DEFINITION);
    document.put("schema_version", "1.3");
    document.put("retry_budget", 5);
    ((ObjectNode) document.get("trigger")).put("time_zone", "Mars/Olympus");

    assertThat(ContractValidator.validateDefinition(document.toString()).violations())
        .extracting(Violation::path)
        .containsExactly("$.trigger.time_zone");
  }

  @Test
  void newerMinorVersionAlsoIgnoresNewFieldsOfNestedObjects() {
    ObjectNode document = (ObjectNode) Fixtures.json(DEFINITION);
    document.put("schema_version", "1.3");
    ((ObjectNode) document.get("trigger")).putArray("holidays").add("DE-BY");
    ((ObjectNode) document.get("policies")).put("max_catch_up_runs", 10);

    assertThat(ContractValidator.validateDefinition(document.toString()).violations()).isEmpty();

    document.put("schema_version", "1.0");
    assertThat(ContractValidator.validateDefinition(document.toString()).violations())
        .extracting(Violation::path, Violation::message)
        .containsExactlyInAnyOrder(
            tuple("$.trigger.holidays", "is not a known field"),
            tuple("$.policies.max_catch_up_runs", "is not a known field"));
  }

  @Test
  void nestedEnvelopeOfANewerMinorVersionIsAcceptedInARunRequest() {
    ObjectNode document = (ObjectNode) Fixtures.json(EVENT_RUN);
    ((ObjectNode) document.get("trigger_event"))
        .put("schema_version", "1.2")
        .put("partition_key", "eu-1");
    assertThat(ContractValidator.validateRunActivityRequest(document.toString()).violations())
        .isEmpty();
  }

  @Test
  void minimalDefinitionGetsTheDocumentedDefaults() {
    String json =
        """
                {"activity_id": "nightly-export", "version": 1, "namespace": "pipelines",
                 "workflow_type": "RunActivityWorkflow", "task_queue": "pipelines-tq",
                 "trigger": {"cron": ["0 2 * * *"]}, "owner": "team-data"}""";

    ActivityDefinition definition = ContractValidator.validateDefinition(json).orElseThrow();

    assertThat(definition.schemaVersion()).isEqualTo("1.0");
    assertThat(definition.description()).isEmpty();
    assertThat(definition.input()).isEmpty();
    assertThat(definition.enabled()).isTrue();
    assertThat(definition.paused()).isFalse();
    assertThat(definition.trigger().timeZone()).isEqualTo("UTC");
    assertThat(definition.trigger().jitter()).isEqualTo(Duration.ZERO);
    assertThat(definition.trigger().startAt()).isEmpty();
    assertThat(definition.policies().overlap()).isEqualTo(OverlapPolicy.SKIP);
    assertThat(definition.policies().missedRun()).isEqualTo(MissedRunPolicy.CATCH_UP);
    assertThat(definition.policies().catchUpWindow()).isEqualTo(Duration.ofHours(1));
    assertThat(definition.policies().pauseOnFailure()).isFalse();
  }

  @Test
  void timestampsWithAnOffsetAreReadAsTheSameInstant() {
    ObjectNode document = (ObjectNode) Fixtures.json(ENVELOPE);
    document.put("occurred_at", "2026-11-21T09:15:30.250+01:00");
    assertThat(ContractValidator.validateEnvelope(document.toString()).orElseThrow().occurredAt())
        .isEqualTo(Instant.parse("2026-11-21T08:15:30.250Z"));
  }

  @Test
  void malformedJsonIsOneViolationAtTheRootWithItsPosition() {
    ValidationResult<ActivityDefinition> result =
        ContractValidator.validateDefinition("{\"activity_id\": \"x\",\n \"version\": }");
    assertThat(result.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.path()).isEqualTo("$");
              assertThat(v.message()).startsWith("is not valid JSON at line 2, column");
            });
  }

  @Test
  void duplicateKeysAreRejectedRatherThanSilentlyResolved() {
    ValidationResult<EventEnvelope> result =
        ContractValidator.validateEnvelope("{\"event_id\": \"a\", \"event_id\": \"b\"}");
    assertThat(result.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.path()).isEqualTo("$");
              assertThat(v.message()).contains("Duplicate field 'event_id'");
            });
  }

  @Test
  void emptyDocumentAndNonObjectsAreViolations() {
    assertThat(ContractValidator.validateEnvelope("").violations())
        .extracting(Violation::message)
        .containsExactly("is empty");
    assertThat(ContractValidator.validateEnvelope("[]").violations())
        .extracting(Violation::path, Violation::message)
        .containsExactly(tuple("$", "must be an object, not an array"));
  }

  @Test
  void recordBuiltInJavaIsCheckedAgainstTheSameContract() {
    ObjectNode payload = JSON.createObjectNode().put("order_id", "o-1001");
    EventEnvelope good =
        EventEnvelope.of(
                "0f8fad5b-d9cb-469f-a165-70867728950e",
                "order.placed",
                "bp/orders-saga",
                Instant.parse("2026-11-21T08:15:30Z"),
                payload)
            .withSubject("order/o-1001");
    EventEnvelope bad =
        EventEnvelope.of(
            "evt 1",
            "OrderPlaced",
            "bp/orders-saga",
            Instant.parse("2026-11-21T08:15:30Z"),
            payload);

    assertThat(ContractValidator.validateRecord(Contracts.EVENT_ENVELOPE, good).orElseThrow())
        .isEqualTo(good);
    assertThat(ContractValidator.validateRecord(Contracts.EVENT_ENVELOPE, bad).violations())
        .extracting(Violation::path)
        .containsExactlyInAnyOrder("$.event_id", "$.type");
  }

  @Test
  void everyContractSchemaLoadsAndAcceptsItsExample() {
    List<String> checked = new ArrayList<>();
    for (Contract<?> contract : Contracts.ALL) {
      assertThat(
              ContractValidator.schemas()
                  .schemaDocument(contract.schemaFile())
                  .path("$id")
                  .asText())
          .isEqualTo(contract.schemaId());
      checked.add(contract.name());
    }
    assertThat(checked).hasSize(Contracts.ALL.size()).hasSizeGreaterThanOrEqualTo(13);
  }

  private static void apply(JsonNode document, Edit edit) {
    String pointer = edit.pointer();
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = document.at(pointer.substring(0, slash));
    String last = pointer.substring(slash + 1);
    if (parent instanceof ObjectNode object) {
      if (edit.jsonValue() == null) {
        object.remove(last);
      } else {
        object.set(last, parse(edit.jsonValue()));
      }
    } else if (parent instanceof ArrayNode array) {
      int index = Integer.parseInt(last);
      if (edit.jsonValue() == null) {
        array.remove(index);
      } else {
        array.set(index, parse(edit.jsonValue()));
      }
    } else {
      throw new IllegalArgumentException("no object or array at " + pointer + " in " + document);
    }
  }

  /**
   * "/trigger/cron/0" → "$.trigger.cron[0]", looking at the document to tell indices from names.
   */
  private static String jsonPath(JsonNode document, String pointer) {
    StringBuilder path = new StringBuilder("$");
    JsonNode node = document;
    for (String segment : pointer.substring(1).split("/")) {
      if (node.isArray()) {
        path.append('[').append(segment).append(']');
        node = node.path(Integer.parseInt(segment));
      } else {
        path.append('.').append(segment);
        node = node.path(segment);
      }
    }
    return path.toString();
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException("test input is not JSON: " + json, e);
    }
  }
}
