package io.bptemporal.contracts.naming;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Keys of task instances: {@code <run key>/<kind>/<ordinal>}, e.g. {@code
 * nightly-export:2026-11-21T00:00:00Z/export.partition/3}. A run that is repeated (retry, catch-up,
 * manual re-run) produces the same keys, so a unique constraint on the key keeps one row per task.
 */
public final class TaskKeys {

  public static final int MAX_LENGTH = 512;

  public static final String ACCEPTED =
      "<activity_id>:<run>/<kind>/<ordinal>, at most "
          + MAX_LENGTH
          + " characters from A-Z a-z 0-9 . _ : / -, e.g. nightly-export:2026-11-21T00:00:00Z/export.partition/3";

  private static final Pattern RUN_KEY =
      Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}:[A-Za-z0-9._:-]{1,250}");

  private TaskKeys() {}

  /** Key of the {@code ordinal}-th task of {@code kind} produced by a scheduled run. */
  public static String of(ScheduledRun run, String kind, int ordinal) {
    return of(run.key(), kind, ordinal);
  }

  /** Key of a task produced by a run identified by its workflow-independent run key. */
  public static String of(String runKey, String kind, int ordinal) {
    if (runKey == null || !RUN_KEY.matcher(runKey).matches()) {
      throw new IllegalArgumentException(
          "run key '"
              + runKey
              + "' is not valid; accepted: <activity_id>:<run>,"
              + " e.g. "
              + WorkflowIds.scheduledRun("nightly-export", Instant.parse("2026-11-21T00:00:00Z")));
    }
    IdentifierFormat.TASK_KIND.check(kind);
    if (ordinal < 0) {
      throw new IllegalArgumentException(
          "ordinal " + ordinal + " of task kind '" + kind + "' is negative");
    }
    return runKey + "/" + kind + "/" + ordinal;
  }
}
