package io.bptemporal.scheduler.temporal;

import com.fasterxml.jackson.databind.JsonNode;
import io.bptemporal.contracts.activity.OverlapPolicy;
import io.bptemporal.runtime.temporal.TemporalConnection;
import io.bptemporal.scheduler.plan.CanonicalJson;
import io.bptemporal.scheduler.plan.DescribedSchedule;
import io.bptemporal.scheduler.plan.DesiredSchedule;
import io.bptemporal.scheduler.plan.ListedSchedule;
import io.bptemporal.scheduler.plan.ScheduleOwnership;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payload;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleBackfill;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleListActionStartWorkflow;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleUpdate;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.EncodedValues;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The scheduler's view of Temporal Schedules, one namespace at a time: list and describe (into the
 * plan's {@link ListedSchedule} / {@link DescribedSchedule}), and the writes a plan needs. Every
 * call goes through the {@link ScheduleClient} the constructor was given per namespace.
 */
public final class TemporalSchedules {
  /** One ListSchedules page; 1,000 managed schedules cost one visibility request per namespace. */
  static final int LIST_PAGE_SIZE = 1000;

  private final Function<String, ScheduleClient> clientFactory;

  /**
   * The clients' converter (the connection's: contract-checked, encrypting when payload keys are
   * configured): the schedule's memo is read as every process reads payloads.
   */
  private final DataConverter converter;

  private final Map<String, ScheduleClient> clients = new ConcurrentHashMap<>();

  public TemporalSchedules(
      Function<String, ScheduleClient> clientFactory, DataConverter converter) {
    this.clientFactory = clientFactory;
    this.converter = converter;
  }

  /** Clients of the connection, each call counted in {@code counter}. */
  public static TemporalSchedules counted(
      TemporalConnection connection, ScheduleCallCounter counter) {
    return new TemporalSchedules(
        namespace ->
            new CountingScheduleClient(
                connection.scheduleClient(namespace, "bp-temporal-scheduler"), counter),
        connection.dataConverter());
  }

  private ScheduleClient client(String namespace) {
    return clients.computeIfAbsent(namespace, clientFactory);
  }

  /** Every schedule of the namespace, owned or not. */
  public List<ListedSchedule> list(String namespace) {
    return client(namespace)
        .listSchedules(null, LIST_PAGE_SIZE)
        .map(entry -> listed(namespace, entry))
        .toList();
  }

  /** The schedule, or empty when no schedule has that ID. */
  public Optional<DescribedSchedule> describe(String namespace, String scheduleId) {
    try {
      ScheduleDescription description = client(namespace).getHandle(scheduleId).describe();
      return Optional.of(described(namespace, description));
    } catch (RuntimeException e) {
      if (isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Creates the schedule; false when a schedule with its ID exists already (nothing was changed
   * then).
   */
  public boolean create(DesiredSchedule desired) {
    try {
      client(desired.namespace())
          .createSchedule(
              desired.scheduleId(),
              ScheduleTranslation.toSchedule(desired),
              ScheduleOptions.newBuilder()
                  .setMemo(
                      Map.of(
                          ScheduleOwnership.MEMO_MANAGED_BY,
                          ScheduleOwnership.MANAGED_BY,
                          ScheduleOwnership.MEMO_ACTIVITY_ID,
                          desired.activityId()))
                  .build());
      return true;
    } catch (ScheduleAlreadyRunningException e) {
      return false;
    }
  }

  /** Replaces spec, action, policies and state (paused, notes) with the desired ones. */
  public void update(DesiredSchedule desired) {
    client(desired.namespace())
        .getHandle(desired.scheduleId())
        .update(input -> new ScheduleUpdate(ScheduleTranslation.toSchedule(desired)));
  }

  public void pause(DesiredSchedule desired) {
    client(desired.namespace())
        .getHandle(desired.scheduleId())
        .pause(ScheduleOwnership.notes(desired.activityId(), desired.specHash()));
  }

  public void unpause(DesiredSchedule desired) {
    client(desired.namespace())
        .getHandle(desired.scheduleId())
        .unpause(ScheduleOwnership.notes(desired.activityId(), desired.specHash()));
  }

  /** Deletes the schedule (runs it started are not affected); false when it was gone already. */
  public boolean delete(String namespace, String scheduleId) {
    try {
      client(namespace).getHandle(scheduleId).delete();
      return true;
    } catch (RuntimeException e) {
      if (isNotFound(e)) {
        return false;
      }
      throw e;
    }
  }

  /** Asks the server to start a run for every time the spec selects in [from, to]. */
  public void backfill(
      String namespace, String scheduleId, Instant from, Instant to, OverlapPolicy overlap) {
    client(namespace)
        .getHandle(scheduleId)
        .backfill(List.of(new ScheduleBackfill(from, to, ScheduleTranslation.overlap(overlap))));
  }

  private ListedSchedule listed(String namespace, ScheduleListDescription entry) {
    boolean owned =
        ScheduleOwnership.MANAGED_BY.equals(
            memoText(entry.getMemo(ScheduleOwnership.MEMO_MANAGED_BY, String.class)));
    var schedule = entry.getSchedule();
    String notes = schedule.getState() == null ? "" : schedule.getState().getNote();
    boolean paused = schedule.getState() != null && schedule.getState().isPaused();
    String workflowType =
        schedule.getAction() instanceof ScheduleListActionStartWorkflow start
            ? start.getWorkflow()
            : "";
    List<Instant> recent =
        entry.getInfo() == null || entry.getInfo().getRecentActions() == null
            ? List.of()
            : entry.getInfo().getRecentActions().stream()
                .map(ScheduleActionResult::getScheduledAt)
                .toList();
    return new ListedSchedule(
        namespace,
        entry.getScheduleId(),
        owned,
        ScheduleOwnership.specHashInNotes(notes),
        paused,
        workflowType,
        SpecFingerprint.of(schedule.getSpec(), workflowType),
        recent);
  }

  private DescribedSchedule described(String namespace, ScheduleDescription description) {
    boolean owned =
        ScheduleOwnership.MANAGED_BY.equals(
            memoText(description.getMemo(ScheduleOwnership.MEMO_MANAGED_BY, String.class)));
    var schedule = description.getSchedule();
    String workflowType = "";
    String taskQueue = "";
    String workflowIdBase = "";
    Optional<JsonNode> argument = Optional.empty();
    Optional<JsonNode> source = Optional.empty();
    if (schedule.getAction() instanceof ScheduleActionStartWorkflow start) {
      workflowType = start.getWorkflowType();
      taskQueue = start.getOptions().getTaskQueue();
      workflowIdBase = start.getOptions().getWorkflowId();
      if (start.getArguments() != null && start.getArguments().getSize() > 0) {
        argument = Optional.ofNullable(start.getArguments().get(0, JsonNode.class));
      }
      Map<String, Object> memo = start.getOptions().getMemo();
      if (memo != null && memo.get(ScheduleOwnership.ACTION_MEMO_SOURCE) != null) {
        String text = memoText(memo.get(ScheduleOwnership.ACTION_MEMO_SOURCE));
        try {
          source = Optional.of(CanonicalJson.parse(text));
        } catch (IllegalArgumentException e) {
          source = Optional.empty();
        }
      }
    }
    var policy = schedule.getPolicy();
    var info = description.getInfo();
    return new DescribedSchedule(
        namespace,
        description.getId(),
        owned,
        schedule.getState() == null || schedule.getState().getNote() == null
            ? ""
            : schedule.getState().getNote(),
        schedule.getState() != null && schedule.getState().isPaused(),
        workflowType,
        taskQueue,
        workflowIdBase,
        argument,
        ScheduleTranslation.overlapName(policy == null ? null : policy.getOverlap()),
        policy == null || policy.getCatchupWindow() == null
            ? java.time.Duration.ZERO
            : policy.getCatchupWindow(),
        policy != null && policy.isPauseOnFailure(),
        source,
        info == null ? 0 : info.getNumActionsMissedCatchupWindow(),
        info == null || info.getRecentActions() == null
            ? List.of()
            : info.getRecentActions().stream().map(ScheduleActionResult::getScheduledAt).toList(),
        info == null || info.getRunningActions() == null ? 0 : info.getRunningActions().size());
  }

  /** Memo values come back as a String, a Payload or EncodedValues depending on the SDK path. */
  private String memoText(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof String text) {
      return text;
    }
    if (value instanceof Payload payload) {
      return converter.fromPayload(payload, String.class, String.class);
    }
    if (value instanceof EncodedValues values) {
      values.setDataConverter(converter);
      return values.getSize() == 0 ? "" : values.get(0, String.class);
    }
    return value.toString();
  }

  static boolean isNotFound(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof StatusRuntimeException status
          && status.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return true;
      }
    }
    return false;
  }
}
