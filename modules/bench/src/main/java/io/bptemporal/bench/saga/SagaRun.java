package io.bptemporal.bench.saga;

import java.util.List;

/**
 * One measured run of one contender at one concurrency level.
 *
 * @param latencyNanos end-to-end latencies of the sagas that completed, sorted
 * @param failures up to three descriptions of sagas that did not complete
 */
public record SagaRun(
    String contender,
    int concurrency,
    int round,
    int sagas,
    int failed,
    long wallNanos,
    long[] latencyNanos,
    List<String> failures) {

  /** Completed sagas per second of wall time, first start to last result. */
  public double throughput() {
    return (sagas - failed) / (wallNanos / 1e9);
  }

  /** Nearest-rank percentile of the latencies, in milliseconds. */
  public double latencyMs(double percentile) {
    return LatencyPercentiles.ms(latencyNanos, percentile);
  }
}
