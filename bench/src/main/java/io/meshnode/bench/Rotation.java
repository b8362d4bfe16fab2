package io.meshnode.bench;

import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Runs a scenario's variants in one run, alternating: a warm-up ({@link #warmUp}), then {@code runs} repetitions in
 * each of which every variant gets a loaded pass ({@code --inflight}) and a 1-in-flight pass, the order rotating by
 * one variant per repetition so that no variant always follows the same one.
 */
final class Rotation {

  /** Bounds the operations of one pass, whatever the machine's speed. */
  static final long MAX_OPS_PER_PASS = 20_000_000;
  /** One warm-up slice per variant and round: this long loaded, a quarter of it at 1 in flight. */
  static final long WARMUP_SLICE_MILLIS = 1_000;
  /** The JIT has settled when it compiled for less than this share of a whole warm-up round's wall time. */
  static final double JIT_SETTLED_SHARE = 0.02;

  private Rotation() {
  }

  static Measurements measure(ClosedLoop loop, List<Variant> variants, BenchOptions options, PrintStream progress) {
    long millis = options.seconds() * 1000L;
    warmUp(loop, variants, options, progress);
    Measurements measurements = new Measurements();
    for (int run = 0; run < options.runs(); run++) {
      for (int i = 0; i < variants.size(); i++) {
        Variant variant = variants.get((i + run) % variants.size());
        Sample loaded = loop.run(variant.name(), variant.op(), options.inflight(), millis, MAX_OPS_PER_PASS);
        Sample single = loop.run(variant.name(), variant.op(), 1, millis, MAX_OPS_PER_PASS);
        measurements.addLoaded(loaded);
        measurements.addSingle(single);
        progress.printf("  run %d %-10s %,12.0f ops/s p99 %,8d µs cpu %s µs/op %,6.0f B/op steal %2.0f %% | 1 in flight "
            + "p50 %,7d µs%s%n", run + 1, variant.name(), loaded.opsPerSecond(), loaded.p99(), Report.cpu(loaded),
          loaded.jvmBytesPerOp(), loaded.stealShare() * 100, single.p50(), failures(loaded));
      }
    }
    return measurements;
  }

  /**
   * Rounds in which every variant, in turn, gets a loaded slice and a short 1-in-flight slice, so that the JIT sees
   * the whole mix (code shared by the variants, such as the event bus, is compiled for all of them) before anything
   * is measured. Ends once a whole round (at least the second) passed with the JIT compiling less than
   * {@link #JIT_SETTLED_SHARE} of its wall time, or when {@code --warmup} seconds per variant are spent. Without
   * it the first measured pass of a slow variant (pg) ran before its code was compiled, at a third of the next one.
   */
  static void warmUp(ClosedLoop loop, List<Variant> variants, BenchOptions options, PrintStream progress) {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
    long single = WARMUP_SLICE_MILLIS / 4;
    int rounds = (int) Math.max(1, options.warmupSeconds() * 1000L / (WARMUP_SLICE_MILLIS + single));
    for (int round = 1; round <= rounds; round++) {
      long startNanos = System.nanoTime();
      long jitStartMillis = jitTimed ? jit.getTotalCompilationTime() : 0;
      StringBuilder line = new StringBuilder();
      for (Variant variant : variants) {
        Sample warm = loop.run(variant.name(), variant.op(), options.inflight(), WARMUP_SLICE_MILLIS,
          MAX_OPS_PER_PASS);
        loop.run(variant.name(), variant.op(), 1, single, MAX_OPS_PER_PASS);
        line.append(String.format(" %s %,.0f/s%s", variant.name(), warm.opsPerSecond(), failures(warm)));
      }
      long wallMillis = (System.nanoTime() - startNanos) / 1_000_000;
      long jitMillis = jitTimed ? jit.getTotalCompilationTime() - jitStartMillis : -1;
      progress.printf("  warm-up round %d:%s | JIT %d ms of %d ms%n", round, line, jitMillis, wallMillis);
      if (round >= 2 && jitTimed && jitMillis < JIT_SETTLED_SHARE * wallMillis) {
        return;
      }
    }
  }

  static String failures(Sample sample) {
    if (sample.failed() == 0 && sample.stuck() == 0) {
      return "";
    }
    return String.format("  (%,d failed, %d stuck; first: %s)", sample.failed(), sample.stuck(),
      sample.firstFailure());
  }
}
