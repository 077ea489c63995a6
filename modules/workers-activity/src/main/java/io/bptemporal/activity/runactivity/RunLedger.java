package io.bptemporal.activity.runactivity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.contracts.Contracts;
import io.bptemporal.contracts.activity.TaskInstance;
import io.bptemporal.contracts.activity.TaskStatus;
import io.bptemporal.contracts.event.EventEnvelope;
import io.bptemporal.contracts.json.ContractJson;
import io.bptemporal.contracts.naming.TaskKeys;
import io.bptemporal.contracts.runactivity.CreateTasks;
import io.bptemporal.contracts.runactivity.TaskBatch;
import io.bptemporal.contracts.validation.ValidationResult;
import io.bptemporal.contracts.validation.Violation;
import io.bptemporal.registry.taskrules.PlannedTask;
import io.bptemporal.registry.taskrules.TaskRuleException;
import io.bptemporal.registry.taskrules.TaskRules;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RunActivity's tables in the pipeline database: the run audit ({@code activity_run}), the context
 * facts, the task instances and their TaskCreated outbox. Every write is idempotent:
 *
 * <ul>
 *   <li>the audit row is keyed by (workflow ID, run ID): retries of one execution find it, a second
 *       execution for the same scheduled time gets its own row;
 *   <li>a task instance is keyed by its task key (which carries activity, run and task), inserted
 *       only if absent; its TaskCreated event is written in the same transaction, only when the
 *       task was new, under an event ID derived from the task key.
 * </ul>
 */
public final class RunLedger {
  private static final Logger log = LoggerFactory.getLogger(RunLedger.class);
  private static final ObjectMapper JSON = ContractJson.newObjectMapper();

  public static final String TASK_CREATED = "task.created";
  public static final String EVENT_SOURCE = "bp/activity-worker";

  private final DataSource database;

  public RunLedger(DataSource database) {
    this.database = database;
  }

  /** The audit row of one workflow execution. */
  record AuditRow(
      ObjectNode context,
      String contextHash,
      String outcome,
      List<String> taskKeys,
      int tasksCreated) {}

  /**
   * The run's context snapshot: the one recorded for this execution, or a new one read now and
   * recorded.
   */
  public RunContext resolve(String workflowId, String runId, CreateTasks run, boolean enabled) {
    try (Connection c = database.getConnection()) {
      c.setAutoCommit(false);
      try {
        RunContext context = resolve(c, workflowId, runId, run, enabled);
        c.commit();
        return context;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot record the context of run " + run.runKey() + ": " + e.getMessage(), e);
    }
  }

  private RunContext resolve(
      Connection c, String workflowId, String runId, CreateTasks run, boolean enabled)
      throws SQLException {
    Optional<AuditRow> existing = audit(c, workflowId, runId, false);
    if (existing.isPresent()) {
      return new RunContext(existing.get().context(), existing.get().contextHash());
    }
    RunContext context = RunContext.of(run, facts(c, run.definition().activityId()));
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        insert into activity_run (workflow_id, run_id, run_key, activity_id, scheduled_for, definition_version, enabled,
                                  trigger_event_id, compressed_window, context, context_hash, outcome, finished_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, case when ? then null else now() end)
        on conflict (workflow_id, run_id) do nothing""")) {
      ps.setString(1, workflowId);
      ps.setString(2, runId);
      ps.setString(3, run.runKey());
      ps.setString(4, run.definition().activityId());
      ps.setObject(5, OffsetDateTime.ofInstant(run.scheduledFor(), ZoneOffset.UTC));
      ps.setLong(6, run.definition().version());
      ps.setBoolean(7, enabled);
      ps.setString(8, run.triggerEvent().map(EventEnvelope::eventId).orElse(null));
      ps.setString(9, run.compressedWindow().map(w -> JSON.valueToTree(w).toString()).orElse(null));
      ps.setString(10, context.document().toString());
      ps.setString(11, context.hash());
      ps.setString(12, enabled ? "CONTEXT_RESOLVED" : "SKIPPED_DISABLED");
      ps.setBoolean(13, enabled);
      ps.executeUpdate();
    }
    log.info(
        "run {} (workflow {} / {}): context {} with facts {}{}",
        run.runKey(),
        workflowId,
        runId,
        context.hash(),
        context.factNames(),
        enabled ? "" : "; the registry row is disabled or paused: no tasks");
    return context;
  }

  /**
   * Evaluates the definition's task rules against the execution's context snapshot and creates the
   * task instances that do not exist yet, with their TaskCreated events, and completes the audit
   * row - one transaction. A retry after the commit returns what the first attempt recorded.
   */
  public TaskBatch createTasks(String workflowId, String runId, CreateTasks run) {
    try (Connection c = database.getConnection()) {
      c.setAutoCommit(false);
      try {
        TaskBatch batch = createTasks(c, workflowId, runId, run);
        c.commit();
        return batch;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create the tasks of run " + run.runKey() + ": " + e.getMessage(), e);
    }
  }

  private TaskBatch createTasks(Connection c, String workflowId, String runId, CreateTasks run)
      throws SQLException {
    Optional<AuditRow> audit = audit(c, workflowId, runId, true);
    if (audit.isPresent() && audit.get().outcome().equals("TASKS_CREATED")) {
      AuditRow done = audit.get();
      return new TaskBatch(run.runKey(), done.contextHash(), done.taskKeys(), done.tasksCreated());
    }
    RunContext context =
        audit
            .map(a -> new RunContext(a.context(), a.contextHash()))
            .orElseGet(
                () -> {
                  try {
                    return resolve(c, workflowId, runId, run, true);
                  } catch (SQLException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                  }
                });
    List<PlannedTask> planned =
        TaskRules.from(run.definition().input()).evaluate(context.document());
    List<String> keys = new ArrayList<>();
    int created = 0;
    int differing = 0;
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    for (PlannedTask task : planned) {
      TaskInstance instance = taskInstance(run, task);
      keys.add(instance.taskKey());
      if (insertTask(c, workflowId, runId, run, task, instance, context.hash())) {
        created++;
        insertOutbox(c, instance, now);
      } else if (!existingPayload(c, instance.taskKey()).equals(instance.payload())) {
        differing++;
      }
    }
    if (differing > 0) {
      log.warn(
          "run {}: {} task(s) existed from an earlier execution with a different payload; kept the earlier ones"
              + " (task keys are the run's identity; context now {})",
          run.runKey(),
          differing,
          context.hash());
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        update activity_run set outcome = 'TASKS_CREATED', task_keys = ?::jsonb, tasks_created = ?, finished_at = now()
         where workflow_id = ? and run_id = ?""")) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      keys.forEach(array::add);
      ps.setString(1, array.toString());
      ps.setInt(2, created);
      ps.setString(3, workflowId);
      ps.setString(4, runId);
      ps.executeUpdate();
    }
    log.info(
        "run {}: {} task(s), {} new, context {}",
        run.runKey(),
        keys.size(),
        created,
        context.hash());
    return new TaskBatch(run.runKey(), context.hash(), keys, created);
  }

  private static TaskInstance taskInstance(CreateTasks run, PlannedTask task) {
    TaskInstance instance;
    try {
      instance =
          new TaskInstance(
              TaskKeys.of(run.runKey(), task.kind(), task.ordinal()),
              run.definition().activityId(),
              run.scheduledFor(),
              task.kind(),
              task.payload(),
              TaskStatus.PENDING);
    } catch (IllegalArgumentException e) {
      throw new TaskRuleException(
          "$.input.tasks",
          "makes task "
              + task.kind()
              + "/"
              + task.ordinal()
              + " of run "
              + run.runKey()
              + ", which cannot be keyed: "
              + e.getMessage());
    }
    ValidationResult<TaskInstance> valid =
        ContractValidator.validateRecord(Contracts.TASK_INSTANCE, instance);
    if (!valid.valid()) {
      throw new TaskRuleException(
          "$.input.tasks",
          "makes task "
              + instance.taskKey()
              + ", which breaks the TaskInstance"
              + " contract: "
              + valid.violations().stream()
                  .map(Violation::toString)
                  .collect(Collectors.joining("; ")));
    }
    return instance;
  }

  private static boolean insertTask(
      Connection c,
      String workflowId,
      String runId,
      CreateTasks run,
      PlannedTask task,
      TaskInstance instance,
      String contextHash)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        insert into task_instance (task_key, activity_id, scheduled_for, run_key, kind, ordinal, payload, status,
                                   definition_version, context_hash, created_by_workflow, created_by_run)
        values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)
        on conflict (task_key) do nothing""")) {
      ps.setString(1, instance.taskKey());
      ps.setString(2, instance.activityId());
      ps.setObject(3, OffsetDateTime.ofInstant(instance.scheduledFor(), ZoneOffset.UTC));
      ps.setString(4, run.runKey());
      ps.setString(5, instance.kind());
      ps.setInt(6, task.ordinal());
      ps.setString(7, instance.payload().toString());
      ps.setString(8, instance.status().name());
      ps.setLong(9, run.definition().version());
      ps.setString(10, contextHash);
      ps.setString(11, workflowId);
      ps.setString(12, runId);
      return ps.executeUpdate() == 1;
    }
  }

  private static void insertOutbox(Connection c, TaskInstance instance, Instant now)
      throws SQLException {
    EventEnvelope envelope =
        EventEnvelope.of(
            eventId(instance.taskKey()),
            TASK_CREATED,
            EVENT_SOURCE,
            now,
            JSON.valueToTree(instance));
    String subject = "task/" + instance.taskKey();
    if (subject.length() <= 255) {
      envelope = envelope.withSubject(subject);
    }
    ValidationResult<EventEnvelope> valid =
        ContractValidator.validateRecord(Contracts.EVENT_ENVELOPE, envelope);
    if (!valid.valid()) {
      throw new IllegalStateException(
          "TaskCreated event of "
              + instance.taskKey()
              + " breaks the envelope contract: "
              + valid.violations());
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        insert into task_outbox (event_id, task_key, event_type, envelope) values (?, ?, ?, ?::jsonb)
        on conflict (event_id) do nothing""")) {
      ps.setString(1, envelope.eventId());
      ps.setString(2, instance.taskKey());
      ps.setString(3, TASK_CREATED);
      ps.setString(4, JSON.valueToTree(envelope).toString());
      ps.executeUpdate();
    }
  }

  /**
   * {@code task-created:<name-based UUID of the task key>}: the same task always gets the same
   * event ID.
   */
  static String eventId(String taskKey) {
    return "task-created:"
        + UUID.nameUUIDFromBytes((TASK_CREATED + "/" + taskKey).getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode existingPayload(Connection c, String taskKey) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("select payload::text from task_instance where task_key = ?")) {
      ps.setString(1, taskKey);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return JSON.readTree(rs.getString(1));
      }
    } catch (JsonProcessingException e) {
      throw new SQLException("payload of task " + taskKey + " is not JSON", e);
    }
  }

  private static Optional<AuditRow> audit(
      Connection c, String workflowId, String runId, boolean lock) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select context::text, context_hash, outcome, task_keys::text,"
                + " coalesce(tasks_created, 0) from activity_run where workflow_id = ? and run_id = ?"
                + (lock ? " for update" : ""))) {
      ps.setString(1, workflowId);
      ps.setString(2, runId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        List<String> keys = new ArrayList<>();
        JSON.readTree(rs.getString(4)).forEach(k -> keys.add(k.asText()));
        return Optional.of(
            new AuditRow(
                (ObjectNode) JSON.readTree(rs.getString(1)),
                rs.getString(2),
                rs.getString(3),
                keys,
                rs.getInt(5)));
      }
    } catch (JsonProcessingException e) {
      throw new SQLException(
          "audit row of " + workflowId + " / " + runId + " holds invalid JSON", e);
    }
  }

  /** Facts of {@code '*'} overlaid with the activity's own, sorted by name. */
  private static ObjectNode facts(Connection c, String activityId) throws SQLException {
    ObjectNode facts = JsonNodeFactory.instance.objectNode();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select name, value::text from activity_context_fact"
                + " where activity_id in ('*', ?) order by name, activity_id = ?")) {
      ps.setString(1, activityId);
      ps.setString(2, activityId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          facts.set(rs.getString(1), JSON.readTree(rs.getString(2)));
        }
      }
    } catch (JsonProcessingException e) {
      throw new SQLException("a context fact of " + activityId + " is not JSON", e);
    }
    return facts;
  }
}
