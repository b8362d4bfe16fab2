package io.meshnode.bench;

import org.HdrHistogram.Histogram;

/**
 * One pass of one variant: completions per second (successes and failures alike: a fail-fast reply is a reply),
 * and their latency in microseconds.
 *
 * @param stuck operations still outstanding when the pass gave up waiting for them
 * @param jvmCpuMicrosPerOp CPU time of the JVM's event loops (driver, node, baselines) per completed operation, µs
 * @param otherCpuMicrosPerOp CPU time of the scenario's other process (e.g. redis-server) per operation, µs; 0 if none
 * @param jvmBytesPerOp bytes allocated on the JVM's event loops (driver, node, baselines) per operation; 0 if unknown
 */
record Sample(String variant, double opsPerSecond, long succeeded, long failed, long stuck, String firstFailure,
              Histogram latency, double jvmCpuMicrosPerOp, double otherCpuMicrosPerOp, double jvmBytesPerOp,
              double stealShare) {

  Sample(String variant, double opsPerSecond, long succeeded, long failed, long stuck, String firstFailure,
         Histogram latency) {
    this(variant, opsPerSecond, succeeded, failed, stuck, firstFailure, latency, 0, 0, 0, 0);
  }

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
