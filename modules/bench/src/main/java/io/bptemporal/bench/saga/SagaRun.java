package io.bptemporal.bench.saga;

import java.util.List;

/**
 * One measured run of one contender at one concurrency level.
 *
 * @param latencyNanos end-to-end latencies of the sagas that completed, sorted
 * @param failures up to three descriptions of sagas that did not complete
 * @param workerCpuNanos CPU time (user + system) the contender's worker process spent during the
 *     run, or -1 when not measured
 */
public record SagaRun(
    String contender,
    int concurrency,
    int round,
    int sagas,
    int failed,
    long wallNanos,
    long[] latencyNanos,
    List<String> failures,
    long workerCpuNanos) {

  /** This run with the worker's CPU time during it. */
  public SagaRun withWorkerCpu(long nanos) {
    return new SagaRun(
        contender, concurrency, round, sagas, failed, wallNanos, latencyNanos, failures, nanos);
  }

  /** The worker's CPU milliseconds per completed saga; NaN when not measured. */
  public double workerCpuMsPerSaga() {
    return workerCpuNanos < 0 || sagas == failed
        ? Double.NaN
        : workerCpuNanos / 1e6 / (sagas - failed);
  }

  /** Completed sagas per second of wall time, first start to last result. */
  public double throughput() {
    return (sagas - failed) / (wallNanos / 1e9);
  }

  /** Nearest-rank percentile of the latencies, in milliseconds. */
  public double latencyMs(double percentile) {
    return LatencyPercentiles.ms(latencyNanos, percentile);
  }
}
