package io.meshnode.support;

import io.vertx.core.Future;

import java.util.Arrays;
import java.util.function.Supplier;

/** Round-trip times of requests made one after the other, and their percentiles. */
public final class Latencies {

  private final long[] sortedNanos;

  private Latencies(long[] nanos) {
    this.sortedNanos = nanos.clone();
    Arrays.sort(sortedNanos);
  }

  /**
   * Makes {@code warmup} requests, then {@code count} timed ones, each after the previous one is answered. Fails at
   * the first failed request.
   */
  public static Future<Latencies> measure(int warmup, int count, Supplier<Future<?>> request) {
    long[] nanos = new long[count];
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < warmup + count; i++) {
      int timed = i - warmup;
      chain = chain.compose(v -> {
        long started = System.nanoTime();
        return request.get().map(reply -> {
          if (timed >= 0) {
            nanos[timed] = System.nanoTime() - started;
          }
          return null;
        });
      });
    }
    return chain.map(v -> new Latencies(nanos));
  }

  /** The {@code quantile} (0..1, nearest rank) in milliseconds. */
  public double millis(double quantile) {
    int rank = (int) Math.ceil(quantile * sortedNanos.length);
    return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
  }

  public int count() {
    return sortedNanos.length;
  }

  @Override
  public String toString() {
    return String.format("n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms max=%.2f ms", count(), millis(0.5), millis(0.9),
      millis(0.99), millis(1.0));
  }
}
