package io.bptemporal.pipeline.etl;

import io.bptemporal.contracts.pipeline.DataPipelineActivities;
import io.bptemporal.contracts.pipeline.LoadPartition;
import io.bptemporal.contracts.pipeline.Partition;
import io.bptemporal.contracts.pipeline.PartitionResult;
import io.bptemporal.contracts.pipeline.PipelineRequest;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Workflow-side: runs {@code LoadPartition} for a list of partitions with at most {@code parallel}
 * in flight, reporting each as it finishes. The first failure fails the whole run (after its own
 * retries).
 */
final class PartitionRunner {
  private final DataPipelineActivities loader;
  private final int parallel;

  PartitionRunner(DataPipelineActivities loader, int parallel) {
    this.loader = loader;
    this.parallel = parallel;
  }

  List<PartitionResult> run(
      PipelineRequest request, List<Partition> partitions, Consumer<PartitionResult> finished) {
    List<PartitionResult> results = new ArrayList<>(partitions.size());
    List<Promise<PartitionResult>> inFlight = new ArrayList<>();
    Iterator<Partition> pending = partitions.iterator();
    while (pending.hasNext() || !inFlight.isEmpty()) {
      while (inFlight.size() < parallel && pending.hasNext()) {
        LoadPartition task = new LoadPartition(request, pending.next());
        inFlight.add(Async.function(loader::loadPartition, task));
      }
      Promise.anyOf(inFlight).get();
      for (Iterator<Promise<PartitionResult>> it = inFlight.iterator(); it.hasNext(); ) {
        Promise<PartitionResult> promise = it.next();
        if (promise.isCompleted()) {
          PartitionResult result = promise.get();
          results.add(result);
          finished.accept(result);
          it.remove();
        }
      }
    }
    results.sort(Comparator.comparingInt(PartitionResult::partitionIndex));
    return results;
  }
}
