/**
 * The activity worker: {@code runactivity} (RunActivity, the task factory the scheduler's Schedules
 * start: definition from the registry, context snapshot, task rules, task instances and TaskCreated
 * events written once, the run ledger), {@code subject} (SubjectEventsWorkflow: one subject's
 * events run one at a time, each as a child RunActivity) and {@code worker} (the process, its
 * database and its read-only registry connection). See docs/activity-worker.md.
 */
package io.bptemporal.activity;
