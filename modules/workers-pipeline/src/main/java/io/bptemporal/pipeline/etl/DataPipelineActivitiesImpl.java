package io.bptemporal.pipeline.etl;

import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.contracts.Contracts;
import io.bptemporal.contracts.idempotency.IdempotencyKey;
import io.bptemporal.contracts.pipeline.DataPipelineActivities;
import io.bptemporal.contracts.pipeline.LoadPartition;
import io.bptemporal.contracts.pipeline.Partition;
import io.bptemporal.contracts.pipeline.PartitionPlan;
import io.bptemporal.contracts.pipeline.PartitionResult;
import io.bptemporal.contracts.pipeline.PipelineRequest;
import io.bptemporal.contracts.validation.ValidationResult;
import io.bptemporal.contracts.validation.Violation;
import io.bptemporal.pipeline.PipelineSetupException;
import io.bptemporal.pipeline.load.LoadTargets;
import io.bptemporal.pipeline.source.Source;
import io.bptemporal.pipeline.source.SourceCatalog;
import io.bptemporal.pipeline.transform.RecordTransformer;
import io.bptemporal.pipeline.transform.RuleSetRegistry;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data pipeline's activities. Problems no retry can fix become non-retryable failures of type
 * {@value PipelineSetupException#FAILURE_TYPE} with a message naming what is wrong and what is
 * accepted; anything else is thrown as is and retried by Temporal from the last checkpoint.
 */
public final class DataPipelineActivitiesImpl implements DataPipelineActivities {
  private static final Logger log = LoggerFactory.getLogger(DataPipelineActivitiesImpl.class);

  /**
   * Checkpoints outlive the namespace's 7-day retention comfortably; older ones can belong to no
   * open workflow.
   */
  static final Duration CHECKPOINT_RETENTION = Duration.ofDays(30);

  private final SourceCatalog sources;
  private final RuleSetRegistry ruleSets;
  private final LoadTargets targets;
  private final PartitionLoader loader;

  public DataPipelineActivitiesImpl(
      SourceCatalog sources,
      RuleSetRegistry ruleSets,
      LoadTargets targets,
      PipelineRowMetrics metrics) {
    this.sources = sources;
    this.ruleSets = ruleSets;
    this.targets = targets;
    this.loader = new PartitionLoader(sources, ruleSets, targets, metrics);
  }

  @Override
  public PartitionPlan planPartitions(PipelineRequest request) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    try (ActivityHeartbeat heartbeat = new ActivityHeartbeat(context)) {
      checkContract(request);
      RecordTransformer transformer =
          ruleSets.require(request.ruleSet()).forNaturalKey(request.naturalKey());
      targets.verify(request, transformer);
      targets.forgetCheckpointsOlderThan(CHECKPOINT_RETENTION);
      long total;
      String described;
      try (Source source = sources.open(request)) {
        described = source.describe();
        total = source.count();
      }
      List<Partition> partitions = new ArrayList<>();
      long size = request.partitionSize();
      for (long offset = 0, index = 0; offset < total; offset += size, index++) {
        partitions.add(
            new Partition(Math.toIntExact(index), offset, Math.min(size, total - offset)));
      }
      log.info(
          "pipeline {}: {} has {} records -> {} partition(s) of up to {} records, batches of {}, rule set {}, into {}",
          request.pipelineId(),
          described,
          total,
          partitions.size(),
          size,
          request.batchSize(),
          request.ruleSet(),
          request.targetTable());
      return new PartitionPlan(request.pipelineId(), total, partitions);
    } catch (PipelineSetupException e) {
      throw setupFailure(request, e);
    }
  }

  @Override
  public PartitionResult loadPartition(LoadPartition task) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    ActivityInfo info = context.getInfo();
    PartitionLoader.Execution execution =
        new PartitionLoader.Execution(
            IdempotencyKey.ofActivity(info).value(), info.getWorkflowId(), info.getRunId());
    try (ActivityHeartbeat heartbeat = new ActivityHeartbeat(context)) {
      return loader.load(task, execution, heartbeat);
    } catch (PipelineSetupException e) {
      throw setupFailure(task.request(), e);
    }
  }

  private static void checkContract(PipelineRequest request) {
    ValidationResult<PipelineRequest> result =
        ContractValidator.validateRecord(Contracts.PIPELINE_REQUEST, request);
    if (!result.valid()) {
      throw new PipelineSetupException(
          "the pipeline request breaks its contract (pipeline-request/v1.json): "
              + result.violations().stream()
                  .map(Violation::toString)
                  .collect(Collectors.joining("; ")));
    }
  }

  private static ApplicationFailure setupFailure(
      PipelineRequest request, PipelineSetupException e) {
    log.error("pipeline {} cannot run: {}", request.pipelineId(), e.getMessage());
    return ApplicationFailure.newNonRetryableFailure(
        e.getMessage(), PipelineSetupException.FAILURE_TYPE);
  }
}
