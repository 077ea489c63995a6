/**
 * The pipeline worker: {@code etl} (DataPipelineWorkflow and its activities), {@code source} (where
 * records come from), {@code transform} (rule sets), {@code load} (idempotent upserts), {@code
 * quarantine} (rejected records) and {@code worker} (the process). See docs/pipeline.md;
 * RunActivity lives in modules/workers-activity.
 */
package io.bptemporal.pipeline;
