package io.meshnode.bench;

import org.HdrHistogram.Histogram;

/**
 * One pass of one variant: completions per second (successes and failures alike: a fail-fast reply is a reply),
 * and their latency in microseconds.
 *
 * @param stuck operations still outstanding when the pass gave up waiting for them
 */
record Sample(String variant, double opsPerSecond, long succeeded, long failed, long stuck, String firstFailure,
              Histogram latency) {

  long p50() {
    return latency.getValueAtPercentile(50);
  }

  long p99() {
    return latency.getValueAtPercentile(99);
  }

  long p999() {
    return latency.getValueAtPercentile(99.9);
  }
}
