/**
 * The activity worker: {@code runactivity} (RunActivity, the task factory the scheduler's Schedules
 * start: definition from the registry, context snapshot, task rules, task instances and TaskCreated
 * events written once, the run ledger) and {@code worker} (the process, its database and its
 * read-only registry connection). See docs/activity-worker.md.
 */
package io.bptemporal.activity;
