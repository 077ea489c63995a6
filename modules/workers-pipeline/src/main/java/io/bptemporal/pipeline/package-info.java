/**
 * The pipeline worker: {@code etl} (DataPipelineWorkflow and its activities), {@code source} (where records
 * come from), {@code transform} (rule sets), {@code load} (idempotent upserts), {@code quarantine} (rejected
 * records), {@code runactivity} (the RunActivity task factory) and {@code worker} (the process). See
 * docs/pipeline.md.
 */
package io.bptemporal.pipeline;
