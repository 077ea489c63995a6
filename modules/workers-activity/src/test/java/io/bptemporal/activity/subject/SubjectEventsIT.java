package io.bptemporal.activity.subject;

import static io.bptemporal.activity.TestDatabases.count;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.activity.TestDatabases;
import io.bptemporal.activity.runactivity.DefinitionArchive;
import io.bptemporal.activity.runactivity.RegistryDefinitionSource;
import io.bptemporal.activity.runactivity.RegistryFixture;
import io.bptemporal.activity.runactivity.RunActivityActivitiesImpl;
import io.bptemporal.activity.runactivity.RunActivityWorkflowImpl;
import io.bptemporal.activity.runactivity.RunLedger;
import io.bptemporal.contracts.event.EventEnvelope;
import io.bptemporal.contracts.json.ContractDataConverter;
import io.bptemporal.contracts.json.ContractWorkflowOptions;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.runactivity.SubjectEventCounts;
import io.bptemporal.contracts.runactivity.SubjectEventsRequest;
import io.bptemporal.contracts.runactivity.SubjectEventsState;
import io.bptemporal.contracts.runactivity.SubjectEventsWorkflow;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.devstack.junit.RecordedHistories;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SubjectEventsWorkflow on the dev stack: the real Temporal server, RunActivity with its real
 * activities (registry read through the reader role, tasks in the activity database). Senders do
 * what the event router does — signal-with-start per event, redeliveries included — for several
 * subjects at once; every event runs exactly once, in its subject's order. The workflow continues
 * as new every {@value SmallRunsSubjectEvents#EVENTS_PER_RUN} events here, so the runs' boundaries
 * (signals landing on a run that is closing) happen on the real server too.
 */
@ExtendWith(DevStackExtension.class)
class SubjectEventsIT {
  private static final String TASK_QUEUE = "subject-events-it-" + UUID.randomUUID();

  /**
   * Unique per test run: run IDs are fenced by REJECT_DUPLICATE, and a stack given by the
   * environment keeps the runs of earlier test runs for the namespace's retention.
   */
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  private static HikariDataSource db;
  private static RegistryFixture registry;
  private static WorkflowServiceStubs stubs;
  private static WorkflowClient client;
  private static WorkerFactory workers;

  @BeforeAll
  static void start(StackEndpoints stack) {
    db = TestDatabases.activityDatabase(stack, "activity_se_it");
    registry = new RegistryFixture(stack, "registry_se_it");
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporalAddress()).build());
    client =
        WorkflowClient.newInstance(
            stubs,
            WorkflowClientOptions.newBuilder()
                .setNamespace(Namespaces.PIPELINES.name())
                .setDataConverter(ContractDataConverter.instance())
                .build());
    workers = WorkerFactory.newInstance(client);
    var worker = workers.newWorker(TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(
        ContractWorkflowOptions.implementationOptions(),
        RunActivityWorkflowImpl.class,
        SmallRunsSubjectEvents.class);
    worker.registerActivitiesImplementations(
        new RunActivityActivitiesImpl(
            new RegistryDefinitionSource(registry.reader, registry.url()),
            new DefinitionArchive(db),
            new RunLedger(db)));
    workers.start();
  }

  @AfterAll
  static void stop() {
    workers.shutdownNow();
    stubs.shutdownNow();
    registry.close();
    db.close();
  }

  private static EventEnvelope event(String subject, String eventId) {
    return EventEnvelope.of(
            eventId,
            "order.paid",
            "bp/subject-events-it",
            Instant.parse("2026-11-21T08:15:30Z"),
            JsonNodeFactory.instance.objectNode().put("subject", subject))
        .withSubject(subject);
  }

  /** Exactly what the router does for a SIGNAL_WITH_START route. */
  private static void send(SubjectEventsRequest request, EventEnvelope event) {
    client
        .newUntypedWorkflowStub(
            SubjectEventsWorkflow.WORKFLOW_TYPE,
            WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.subjectEvents(request.activityId(), request.subject()))
                .setTaskQueue(TASK_QUEUE)
                .build())
        .signalWithStart(
            SubjectEventsWorkflow.EVENT_SIGNAL, new Object[] {event}, new Object[] {request});
  }

  private static SubjectEventsState state(String activityId, String subject) {
    return client
        .newWorkflowStub(
            SubjectEventsWorkflow.class, WorkflowIds.subjectEvents(activityId, subject))
        .state();
  }

  /** The events of the activity's runs, in the order the runs started, with their row counts. */
  private static List<String> runsInOrder(String activityId, List<String> eventIds)
      throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select trigger_event_id from activity_run where activity_id = ?"
                    + " and trigger_event_id = any (?) order by started_at")) {
      ps.setString(1, activityId);
      ps.setArray(2, c.createArrayOf("text", eventIds.toArray()));
      List<String> ids = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
      return ids;
    }
  }

  @Test
  void severalSubjectsRedeliveredEventsEachRunExactlyOnceInTheirSubjectsOrder() throws Exception {
    String activity = "subject-it-" + RUN;
    registry.put(activity, "{\"kind\": \"invoice\"}", false);
    List<String> subjects =
        List.of("order/o-1001", "order/o-1002", "kunde/müller", "tenant:acme/user 7");
    int perSubject = 8;
    Map<String, List<String>> eventsOf =
        subjects.stream()
            .collect(
                Collectors.toMap(
                    s -> s,
                    s ->
                        IntStream.range(0, perSubject)
                            .mapToObj(i -> RUN + "-s" + subjects.indexOf(s) + "-e" + i)
                            .toList()));

    // One sender per subject, all at once; every event twice in a row, and the first three once
    // more at the end — a consumer that crashed before its commit and read them again.
    ExecutorService senders = Executors.newFixedThreadPool(subjects.size());
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (String subject : subjects) {
        SubjectEventsRequest request =
            SubjectEventsRequest.of(activity, subject).withIdleTimeout(Duration.ofMinutes(10));
        sent.add(
            senders.submit(
                () -> {
                  for (String id : eventsOf.get(subject)) {
                    send(request, event(subject, id));
                    send(request, event(subject, id));
                  }
                  for (String id : eventsOf.get(subject).subList(0, 3)) {
                    send(request, event(subject, id));
                  }
                }));
      }
      for (Future<?> f : sent) {
        f.get();
      }
    } finally {
      senders.shutdown();
    }

    for (String subject : subjects) {
      Awaitility.await("the events of " + subject)
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> state(activity, subject),
              s -> s.counts().handled() == perSubject && s.pending() == 0);
      SubjectEventsState state = state(activity, subject);
      assertThat(state.counts())
          .as(subject)
          .isEqualTo(new SubjectEventCounts(perSubject, 0, 0, perSubject + 3, 0));
      assertThat(state.lastEventIds()).as(subject).containsExactlyElementsOf(eventsOf.get(subject));
      assertThat(runsInOrder(activity, eventsOf.get(subject)))
          .as("one run per event of " + subject + ", in the order they were sent")
          .containsExactlyElementsOf(eventsOf.get(subject));
    }
    int total = subjects.size() * perSubject;
    assertThat(
            count(db, "select count(*) from activity_run where activity_id = '" + activity + "'"))
        .isEqualTo(total);
    assertThat(
            count(
                db,
                "select count(*) from task_instance where activity_id = '"
                    + activity
                    + "' and task_key like '%:event:%/invoice/0'"))
        .isEqualTo(total);
    for (String subject : subjects) {
      client
          .newUntypedWorkflowStub(WorkflowIds.subjectEvents(activity, subject))
          .terminate("test done");
    }
    // The first run of a chain: events in order, each delivered twice, then continue-as-new.
    String chain = WorkflowIds.subjectEvents(activity, subjects.get(0));
    String firstRun =
        client
            .fetchHistory(chain)
            .getEvents()
            .get(0)
            .getWorkflowExecutionStartedEventAttributes()
            .getFirstExecutionRunId();
    RecordedHistories.record(
        client, chain, Optional.of(firstRun), "in-order-duplicates-continue-as-new");
    if (RecordedHistories.recording()) {
      // The second run: the events the first carried over, run one after another in order.
      String secondRun =
          client
              .fetchHistory(chain, firstRun)
              .getLastEvent()
              .getWorkflowExecutionContinuedAsNewEventAttributes()
              .getNewExecutionRunId();
      RecordedHistories.record(
          client, chain, Optional.of(secondRun), "carried-events-in-order-continue-as-new");
    }
  }

  @Test
  void anIdleSubjectClosesAndAnEventRedeliveredAfterwardsIsNotRunAgain() throws Exception {
    String activity = "subject-idle-it-" + RUN;
    registry.put(activity, "{\"kind\": \"invoice\"}", false);
    String subject = "order/o-2001";
    SubjectEventsRequest request =
        SubjectEventsRequest.of(activity, subject).withIdleTimeout(Duration.ofSeconds(5));
    String first = RUN + "-idle-1";

    send(request, event(subject, first));
    SubjectEventsState closed =
        client
            .newUntypedWorkflowStub(WorkflowIds.subjectEvents(activity, subject))
            .getResult(30, java.util.concurrent.TimeUnit.SECONDS, SubjectEventsState.class);
    String closedRunId =
        client
            .newUntypedWorkflowStub(WorkflowIds.subjectEvents(activity, subject))
            .describe()
            .getExecution()
            .getRunId();
    send(request, event(subject, first));
    send(request, event(subject, RUN + "-idle-2"));
    SubjectEventsState second =
        client
            .newUntypedWorkflowStub(WorkflowIds.subjectEvents(activity, subject))
            .getResult(30, java.util.concurrent.TimeUnit.SECONDS, SubjectEventsState.class);

    assertThat(closed.counts()).isEqualTo(new SubjectEventCounts(1, 0, 0, 0, 0));
    assertThat(second.counts())
        .as("a new chain found the first event's run and did not run it again")
        .isEqualTo(new SubjectEventCounts(2, 1, 0, 0, 0));
    assertThat(runsInOrder(activity, List.of(first, RUN + "-idle-2")))
        .containsExactly(first, RUN + "-idle-2");
    String chain = WorkflowIds.subjectEvents(activity, subject);
    RecordedHistories.record(client, chain, Optional.of(closedRunId), "idle-close");
    RecordedHistories.record(client, chain, "redelivered-after-close");
    RecordedHistories.record(client, WorkflowIds.eventRun(activity, first), "event-triggered");
  }
}
