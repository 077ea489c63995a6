package io.bptemporal.contracts.activity;

/** Life cycle of a task instance. */
public enum TaskStatus {
  /** Created by a run, not picked up yet. */
  PENDING,
  /** Being worked on. */
  RUNNING,
  /** Done. */
  SUCCEEDED,
  /** Given up after retries; the run reports it. */
  FAILED,
  /** Deliberately not executed (e.g. superseded by a compressed run). */
  SKIPPED
}
