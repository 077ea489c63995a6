package io.bptemporal.bench.saga;

/** Nearest-rank percentiles of sorted nanosecond samples. */
final class LatencyPercentiles {
  private LatencyPercentiles() {}

  static double ms(long[] sortedNanos, double percentile) {
    if (sortedNanos.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(percentile / 100.0 * sortedNanos.length);
    return sortedNanos[Math.clamp(rank - 1, 0, sortedNanos.length - 1)] / 1e6;
  }
}
