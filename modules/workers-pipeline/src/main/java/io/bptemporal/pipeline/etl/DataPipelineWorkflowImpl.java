package io.bptemporal.pipeline.etl;

import io.bptemporal.contracts.failure.FailureCode;
import io.bptemporal.contracts.failure.PlatformFailures;
import io.bptemporal.contracts.naming.IdentifierFormat;
import io.bptemporal.contracts.naming.WorkflowIds;
import io.bptemporal.contracts.pipeline.DataPipelineActivities;
import io.bptemporal.contracts.pipeline.DataPipelineWorkflow;
import io.bptemporal.contracts.pipeline.Partition;
import io.bptemporal.contracts.pipeline.PartitionPlan;
import io.bptemporal.contracts.pipeline.PipelinePhase;
import io.bptemporal.contracts.pipeline.PipelineProgress;
import io.bptemporal.contracts.pipeline.PipelineRequest;
import io.bptemporal.contracts.pipeline.PipelineResult;
import io.bptemporal.pipeline.PipelineSetupException;
import io.bptemporal.runtime.temporal.ScheduledStart;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plans the partitions, then loads them: directly (at most {@value #PARALLEL_PARTITIONS} at a time)
 * when there are at most {@value #PARTITIONS_PER_CHILD}, else in child workflows of {@value
 * #PARTITIONS_PER_CHILD} partitions each, one after another, so the history of every workflow stays
 * bounded however large the input.
 *
 * <p>The constants are part of the workflow's deterministic behaviour: changing them needs a {@code
 * Workflow.getVersion} branch for workflows that are already running.
 */
public final class DataPipelineWorkflowImpl implements DataPipelineWorkflow {
  static final int PARTITIONS_PER_CHILD = 100;
  static final int PARALLEL_PARTITIONS = 4;

  /** As in scheduled-run IDs: {@code 2026-11-21T01:00:00Z}. */
  private static final DateTimeFormatter NOMINAL_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private final DataPipelineActivities planner =
      Workflow.newActivityStub(DataPipelineActivities.class, PipelineActivityOptions.planning());
  private final DataPipelineActivities loader =
      Workflow.newActivityStub(DataPipelineActivities.class, PipelineActivityOptions.loading());
  private LoadCounts counts;

  @Override
  public PipelineResult run(PipelineRequest given) {
    PipelineRequest request = identifyLoad(given, ScheduledStart.ofThisRun());
    counts = new LoadCounts(request.pipelineId());
    try {
      PartitionPlan plan = planner.planPartitions(request);
      List<Partition> partitions = plan.partitions();
      counts.planned(partitions.size());
      if (partitions.size() <= PARTITIONS_PER_CHILD) {
        new PartitionRunner(loader, PARALLEL_PARTITIONS).run(request, partitions, counts::add);
      } else {
        for (int from = 0; from < partitions.size(); from += PARTITIONS_PER_CHILD) {
          List<Partition> group =
              partitions.subList(from, Math.min(from + PARTITIONS_PER_CHILD, partitions.size()));
          PartitionGroupWorkflow child =
              Workflow.newChildWorkflowStub(
                  PartitionGroupWorkflow.class,
                  ChildWorkflowOptions.newBuilder().setWorkflowId(childId(request, group)).build());
          child.load(new PartitionGroup(request, group)).results().forEach(counts::add);
        }
      }
      counts.phase(PipelinePhase.COMPLETED);
      return new PipelineResult(
          request.pipelineId(),
          counts.read(),
          counts.loaded(),
          counts.quarantined(),
          counts.partitionsTotal());
    } catch (TemporalFailure e) {
      counts.phase(PipelinePhase.FAILED);
      // One failure shape for every workflow (docs/contracts.md, "Errors"): the code, not the
      // activity's failure.
      throw PlatformFailures.translate(
          e,
          Map.of(PipelineSetupException.FAILURE_TYPE, FailureCode.PIPELINE_SETUP_FAILED),
          FailureCode.STEP_UNAVAILABLE);
    }
  }

  @Override
  public PipelineProgress progress() {
    return counts == null
        ? new PipelineProgress("", PipelinePhase.PLANNING, 0, 0, 0, 0, 0)
        : counts.progress();
  }

  /**
   * A Temporal Schedule starts every run with the same input, so the same {@code pipeline_id}; but
   * each run is its own load (its own quarantine rows, its own counts). Such a run's load is
   * therefore {@code <pipeline_id>:<nominal time>}, e.g. {@code
   * orders-nightly:2026-11-21T01:00:00Z}.
   */
  static PipelineRequest identifyLoad(PipelineRequest request, Optional<Instant> scheduledStart) {
    if (scheduledStart.isEmpty()) {
      return request;
    }
    String suffix = ":" + NOMINAL_TIME.format(scheduledStart.get().truncatedTo(ChronoUnit.SECONDS));
    if (request.pipelineId().endsWith(suffix)) {
      return request;
    }
    String pipelineId = request.pipelineId() + suffix;
    if (!IdentifierFormat.PIPELINE_ID.matches(pipelineId)) {
      throw PlatformFailures.failure(
          FailureCode.PIPELINE_SETUP_FAILED,
          "pipeline_id '"
              + request.pipelineId()
              + "' of a scheduled pipeline is too long to take the run's time '"
              + suffix
              + "'; accepted: at most "
              + (200 - suffix.length())
              + " characters");
    }
    return new PipelineRequest(
        pipelineId,
        request.source(),
        request.targetTable(),
        request.naturalKey(),
        request.ruleSet(),
        request.batchSize(),
        request.partitionSize());
  }

  /**
   * {@code pipeline:<pipeline_id>:partitions:<first>-<last>}: deterministic, so a replay finds the
   * same child.
   */
  static String childId(PipelineRequest request, List<Partition> group) {
    return WorkflowIds.dataPipeline(request.pipelineId())
        + ":partitions:"
        + group.get(0).index()
        + "-"
        + group.get(group.size() - 1).index();
  }
}
