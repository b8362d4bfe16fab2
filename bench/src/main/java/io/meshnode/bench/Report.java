package io.meshnode.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Prints a scenario's table (medians over the runs, spread as min–max) and its machine-readable line:
 * <pre>RESULT scenario=&lt;name&gt; mesh_ops=&lt;n&gt; base_ops=&lt;n&gt; hop_ops=&lt;n&gt; ratio=&lt;mesh/base&gt; floor_ratio=&lt;mesh/F&gt; p99_us=&lt;n&gt;</pre>
 * F = 1 / (1/base + 1/hop) is the one-hop floor, computed per run; p99_us is the mesh's p99 under load.
 */
final class Report {

  /** The variant name of the measured one-hop floor, printed under the 1-in-flight line when a scenario has it. */
  static final String ONE_HOP = "onehop";

  private Report() {
  }

  static void print(ScenarioReport report, int inflight, boolean withResult, PrintStream out) {
    Measurements m = report.measurements();
    out.println();
    out.printf("== %s: %s%n", report.name(), report.title());
    out.printf("%-10s %12s %25s %9s | %-26s | %-26s | %s%n", "variant", "ops/s", "spread (min-max)", "failed",
      "p50/p99/p999 µs @" + inflight, "p50/p99/p999 µs @1", "cpu µs/op @" + inflight + " (loops+server), B/op (loops)");
    for (String variant : m.variants()) {
      List<Sample> loaded = m.loaded(variant);
      List<Sample> single = m.single(variant);
      out.printf("%-10s %,12.0f %25s %,9d | %-26s | %-26s | %s%n", variant, median(loaded, Sample::opsPerSecond),
        spread(loaded, Sample::opsPerSecond), loaded.stream().mapToLong(Sample::failed).sum(),
        percentiles(loaded), percentiles(single), cpuMedians(loaded));
    }
    double mesh = median(m.loaded(report.mesh()), Sample::opsPerSecond);
    double base = median(m.loaded(report.base()), Sample::opsPerSecond);
    double hop = median(m.loaded(report.hop()), Sample::opsPerSecond);
    List<Double> ratios = perRun(m.loaded(report.mesh()), m.loaded(report.base()), (a, b) -> a / b);
    List<Double> floors = perRun(m.loaded(report.base()), m.loaded(report.hop()), (b, h) -> 1 / (1 / b + 1 / h));
    double floor = report.base().equals(report.hop()) ? hop : medianOf(floors);
    double ratio = mesh / base;
    double floorRatio = mesh / floor;
    String floorFormula = report.base().equals(report.hop()) ? "hop" : "1/(1/" + report.base() + " + 1/hop)";
    List<Double> floorRatios = new ArrayList<>();
    List<Sample> meshRuns = m.loaded(report.mesh());
    for (int i = 0; i < Math.min(meshRuns.size(), floors.size()); i++) {
      floorRatios.add(report.base().equals(report.hop()) ? ratios.get(i) : meshRuns.get(i).opsPerSecond() / floors.get(i));
    }
    out.printf(Locale.ROOT, "ratio mesh/%s = %.3f (runs %s)   F = %s = %,.0f ops/s   mesh/F = %.3f (runs %s)%n",
      report.base(), ratio, range(ratios), floorFormula, floor, floorRatio, range(floorRatios));
    if (!report.base().equals(report.hop()) && !m.single(report.base()).isEmpty()
      && !m.single(report.mesh()).isEmpty()) {
      double meshP50 = median(m.single(report.mesh()), s -> s.p50());
      double baseP50 = median(m.single(report.base()), s -> s.p50());
      double hopP50 = median(m.single(report.hop()), s -> s.p50());
      out.printf(Locale.ROOT, "1 in flight: mesh p50 %.0f µs vs %s p50 + 1.2 × hop p50 = %.0f + 1.2 × %.0f = %.0f µs%n",
        meshP50, report.base(), baseP50, hopP50, baseP50 + 1.2 * hopP50);
      if (m.variants().contains(ONE_HOP)) {
        out.println(oneHop(m, report.mesh(), meshP50, baseP50 + 1.2 * hopP50));
      }
    }
    report.notes().forEach(out::println);
    if (!withResult) {
      return;
    }
    long p99 = Math.round(median(m.loaded(report.p99From()), s -> s.p99()));
    out.printf(Locale.ROOT, "RESULT scenario=%s mesh_ops=%.0f base_ops=%.0f hop_ops=%.0f ratio=%.3f floor_ratio=%.3f "
      + "p99_us=%d%n", report.name(), mesh, base, hop, ratio, floorRatio, p99);
  }

  /**
   * The line comparing the mesh with the measured one-hop floor ({@link #ONE_HOP}, {@link OneHopBackend}): the
   * throughput ratio, and at 1 in flight the floor's p50 against the bound the mesh is held to.
   */
  private static String oneHop(Measurements m, String mesh, double meshP50, double bound) {
    List<Double> ratios = perRun(m.loaded(mesh), m.loaded(ONE_HOP), (a, b) -> a / b);
    return String.format(Locale.ROOT, "onehop = one bare hop to a consumer calling the same client, no policies: "
        + "mesh/onehop = %.3f (runs %s); 1 in flight: onehop p50 %.0f µs, mesh p50 %.0f µs, bound %.0f µs",
      median(m.loaded(mesh), Sample::opsPerSecond) / median(m.loaded(ONE_HOP), Sample::opsPerSecond), range(ratios),
      median(m.single(ONE_HOP), Sample::p50), meshP50, bound);
  }

  static double median(List<Sample> samples, ToDoubleFunction<Sample> value) {
    return medianOf(samples.stream().map(s -> value.applyAsDouble(s)).toList());
  }

  static double medianOf(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private interface Combine {
    double apply(double a, double b);
  }

  private static List<Double> perRun(List<Sample> a, List<Sample> b, Combine combine) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      out.add(combine.apply(a.get(i).opsPerSecond(), b.get(i).opsPerSecond()));
    }
    return out;
  }

  private static String spread(List<Sample> samples, ToDoubleFunction<Sample> value) {
    double min = samples.stream().mapToDouble(value).min().orElse(Double.NaN);
    double max = samples.stream().mapToDouble(value).max().orElse(Double.NaN);
    return String.format("%,.0f-%,.0f", min, max);
  }

  private static String range(List<Double> values) {
    double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    return String.format(Locale.ROOT, "%.3f-%.3f", min, max);
  }

  /** One pass's CPU per operation: the event loops', plus the other process's when one is counted. */
  static String cpu(Sample sample) {
    return sample.otherCpuMicrosPerOp() > 0
      ? String.format(Locale.ROOT, "%.1f+%.1f", sample.jvmCpuMicrosPerOp(), sample.otherCpuMicrosPerOp())
      : String.format(Locale.ROOT, "%.1f", sample.jvmCpuMicrosPerOp());
  }

  private static String cpuMedians(List<Sample> samples) {
    if (samples.isEmpty()) {
      return "-";
    }
    double jvm = median(samples, Sample::jvmCpuMicrosPerOp);
    double other = median(samples, Sample::otherCpuMicrosPerOp);
    String cpu = other > 0 ? String.format(Locale.ROOT, "%.1f+%.1f", jvm, other) : String.format(Locale.ROOT, "%.1f", jvm);
    return String.format(Locale.ROOT, "%s, %,.0f B", cpu, median(samples, Sample::jvmBytesPerOp));
  }

  private static String percentiles(List<Sample> samples) {
    if (samples.isEmpty() || samples.stream().allMatch(s -> s.latency().getTotalCount() == 0)) {
      return "-";
    }
    return String.format("%,.0f/%,.0f/%,.0f", median(samples, s -> s.p50()), median(samples, s -> s.p99()),
      median(samples, s -> s.p999()));
  }
}
