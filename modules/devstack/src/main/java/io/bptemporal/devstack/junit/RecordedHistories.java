package io.bptemporal.devstack.junit;

import io.bptemporal.contracts.json.ContractDataConverter;
import io.bptemporal.contracts.json.ContractWorkflowOptions;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.metadata.POJOWorkflowImplMetadata;
import io.temporal.common.metadata.POJOWorkflowMethodMetadata;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.NonDeterministicException;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Committed workflow histories: recorded from real runs on the dev stack, replayed on the current
 * code by a plain unit test (docs/operations/replay-safety.md).
 *
 * <p>Layout: {@code src/test/resources/histories/<workflow type>/<scenario>.json} of the module
 * that implements the workflow.
 *
 * <ul>
 *   <li><b>Recording</b>: an integration test calls {@link #record} after a scenario has run on the
 *       real server. It writes nothing unless {@code -Dbp.record.histories=true} ({@code make
 *       record-histories}); an existing file is kept unless {@code
 *       -Dbp.record.histories.overwrite=true}: a recording of an older version stays what it is.
 *   <li><b>Replaying</b>: {@link #replayTests} gives one dynamic test per file (named by it) that
 *       replays it with the worker's data converter and workflow options, and one per workflow type
 *       that fails when the type has no recording.
 * </ul>
 */
public final class RecordedHistories {
  /** The switch that makes {@link #record} write files. */
  public static final String RECORD_PROPERTY = "bp.record.histories";

  /** The switch that lets {@link #record} replace a file that exists. */
  public static final String OVERWRITE_PROPERTY = "bp.record.histories.overwrite";

  private static final String TASK_QUEUE = "replay";

  private RecordedHistories() {}

  /** {@code src/test/resources/histories} of the module under test (its base directory). */
  public static Path directory() {
    return Path.of(System.getProperty("basedir", "."), "src", "test", "resources", "histories");
  }

  /** Whether this run records ({@code -Dbp.record.histories=true}). */
  public static boolean recording() {
    return Boolean.getBoolean(RECORD_PROPERTY);
  }

  /**
   * Writes the history of the given run (the latest when {@code runId} is empty) to {@code
   * histories/<its workflow type>/<scenario>.json} when recording; else does nothing. The run must
   * be closed.
   */
  public static void record(
      WorkflowClient client, String workflowId, Optional<String> runId, String scenario) {
    if (!recording()) {
      return;
    }
    WorkflowExecutionHistory history =
        runId.isPresent()
            ? client.fetchHistory(workflowId, runId.get())
            : client.fetchHistory(workflowId);
    HistoryEvent first = history.getEvents().get(0);
    String type = first.getWorkflowExecutionStartedEventAttributes().getWorkflowType().getName();
    Path file = directory().resolve(type).resolve(scenario + ".json");
    try {
      if (Files.exists(file) && !Boolean.getBoolean(OVERWRITE_PROPERTY)) {
        System.out.println(
            "record-histories: kept " + file + " (exists; see " + OVERWRITE_PROPERTY + ")");
        return;
      }
      Files.createDirectories(file.getParent());
      Files.writeString(file, history.toJson(true) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.printf("record-histories: wrote %s (%d events)%n", file, history.getEvents().size());
  }

  /** {@link #record} of the latest run of {@code workflowId}. */
  public static void record(WorkflowClient client, String workflowId, String scenario) {
    record(client, workflowId, Optional.empty(), scenario);
  }

  /**
   * For a {@code @TestFactory}: every file under {@code histories/<type>/} of every workflow type
   * the given implementations register, replayed on them as the worker registers them (the
   * platform's data converter, {@link ContractWorkflowOptions}); plus, per type, a test that it has
   * at least one recording. The stream closes the replay environment.
   */
  public static Stream<DynamicTest> replayTests(Class<?>... workflowImplementations) {
    TestWorkflowEnvironment env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(ContractDataConverter.instance())
                        .build())
                .build());
    Worker worker = env.newWorker(TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(
        ContractWorkflowOptions.implementationOptions(), workflowImplementations);
    List<DynamicTest> tests = new ArrayList<>();
    for (Class<?> implementation : workflowImplementations) {
      for (String type : workflowTypes(implementation)) {
        List<Path> files = files(type);
        tests.add(
            DynamicTest.dynamicTest(
                type + " has recorded histories",
                () -> {
                  if (files.isEmpty()) {
                    throw new AssertionError(
                        "no recorded history of workflow type "
                            + type
                            + " in "
                            + directory().resolve(type)
                            + ": record them with `make record-histories`");
                  }
                }));
        for (Path file : files) {
          tests.add(
              DynamicTest.dynamicTest(
                  type + "/" + file.getFileName(), file.toUri(), () -> replay(file, worker)));
        }
      }
    }
    return tests.stream().onClose(env::close);
  }

  private static void replay(Path file, Worker worker) throws IOException {
    WorkflowExecutionHistory history =
        WorkflowExecutionHistory.fromJson(Files.readString(file, StandardCharsets.UTF_8));
    try {
      WorkflowReplayer.replayWorkflowExecution(history, worker);
    } catch (Exception e) {
      throw new AssertionError(
          directory().relativize(file)
              + " does not replay on the current code (a change needs Workflow.getVersion, see"
              + " docs/operations/replay-safety.md): "
              + reason(e),
          e);
    }
  }

  /**
   * The SDK's non-determinism message (the replayer wraps it into a query failure), else the
   * innermost cause.
   */
  private static String reason(Throwable failure) {
    Throwable cause = failure;
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      int at = message.indexOf(NonDeterministicException.class.getName());
      if (t instanceof NonDeterministicException || at >= 0) {
        return (at >= 0 ? message.substring(at) : t.toString()).strip();
      }
      cause = t;
    }
    return cause.toString();
  }

  private static List<String> workflowTypes(Class<?> implementation) {
    return POJOWorkflowImplMetadata.newInstance(implementation).getWorkflowMethods().stream()
        .map(POJOWorkflowMethodMetadata::getName)
        .toList();
  }

  private static List<Path> files(String type) {
    Path dir = directory().resolve(type);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> listing = Files.list(dir)) {
      return listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
