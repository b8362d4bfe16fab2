package io.meshnode.bench;

import java.io.PrintStream;
import java.util.List;

/**
 * Runs a scenario's variants in one run, alternating: a warm-up pass of each, then {@code runs} repetitions in each
 * of which every variant gets a loaded pass ({@code --inflight}) and a 1-in-flight pass, the order rotating by one
 * variant per repetition so that no variant always follows the same one.
 */
final class Rotation {

  /** Bounds the operations of one pass, whatever the machine's speed. */
  static final long MAX_OPS_PER_PASS = 20_000_000;

  private Rotation() {
  }

  static Measurements measure(ClosedLoop loop, List<Variant> variants, BenchOptions options, PrintStream progress) {
    long millis = options.seconds() * 1000L;
    for (Variant variant : variants) {
      Sample warm = loop.run(variant.name(), variant.op(), options.inflight(), millis, MAX_OPS_PER_PASS);
      progress.printf("  warm-up %-10s %,12.0f ops/s%s%n", variant.name(), warm.opsPerSecond(), failures(warm));
      loop.run(variant.name(), variant.op(), 1, millis / 2, MAX_OPS_PER_PASS);
    }
    Measurements measurements = new Measurements();
    for (int run = 0; run < options.runs(); run++) {
      for (int i = 0; i < variants.size(); i++) {
        Variant variant = variants.get((i + run) % variants.size());
        Sample loaded = loop.run(variant.name(), variant.op(), options.inflight(), millis, MAX_OPS_PER_PASS);
        Sample single = loop.run(variant.name(), variant.op(), 1, millis, MAX_OPS_PER_PASS);
        measurements.addLoaded(loaded);
        measurements.addSingle(single);
        progress.printf("  run %d %-10s %,12.0f ops/s p99 %,8d µs cpu %s µs/op | 1 in flight p50 %,7d µs%s%n",
          run + 1, variant.name(), loaded.opsPerSecond(), loaded.p99(), Report.cpu(loaded), single.p50(),
          failures(loaded));
      }
    }
    return measurements;
  }

  static String failures(Sample sample) {
    if (sample.failed() == 0 && sample.stuck() == 0) {
      return "";
    }
    return String.format("  (%,d failed, %d stuck; first: %s)", sample.failed(), sample.stuck(),
      sample.firstFailure());
  }
}
