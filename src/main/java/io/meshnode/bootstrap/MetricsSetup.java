package io.meshnode.bootstrap;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Set;

/**
 * The node's Prometheus registry: Vert.x meters (vertx-micrometer-metrics), JVM and system binders, and the
 * resilience series. Three Micrometer meters come out in shapes {@code promtool check metrics} rejects; they are
 * kept, in Prometheus' own terms:
 * <ul>
 *   <li>{@code jvm.compilation.time} (milliseconds) and {@code process.cpu.time} (nanoseconds) are counters in
 *       non-base units: they are exported in seconds instead, as {@code jvm_compilation_time_seconds_total} and
 *       {@code process_cpu_seconds_total} (the Prometheus standard name);</li>
 *   <li>{@code system.cpu.count} is a gauge whose name ends in {@code _count}: a {@link MeterFilter} renames it to
 *       {@code system_cpu_logical_processors}.</li>
 * </ul>
 */
public final class MetricsSetup {

  private static final String CPU_COUNT = "system.cpu.count";
  private static final String SECONDS = "seconds";
  /** Counters in non-base time units, replaced by the seconds counters of {@link #bindSecondsCounters}. */
  private static final Set<String> NON_BASE_UNIT_COUNTERS = Set.of("jvm.compilation.time", "process.cpu.time");

  private MetricsSetup() {
  }

  /** A new registry with the renames applied and the JVM/system binders bound. */
  public static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config()
      .meterFilter(MeterFilter.deny(id -> NON_BASE_UNIT_COUNTERS.contains(id.getName())
        && !SECONDS.equals(id.getBaseUnit())))
      .meterFilter(new MeterFilter() {
        @Override
        public Meter.Id map(Meter.Id id) {
          return CPU_COUNT.equals(id.getName()) ? id.withName("system.cpu.logical.processors") : id;
        }
      });
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    new JvmCompilationMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    bindSecondsCounters(registry);
    return registry;
  }

  /** Enables Vert.x metrics on {@code options}, without the per-message event-bus meters, into {@code registry}. */
  public static VertxBuilder withMetrics(VertxBuilder builder, VertxOptions options, PrometheusMeterRegistry registry) {
    return withMetrics(builder, options, registry, false);
  }

  /**
   * Enables Vert.x metrics on {@code options} and routes them to {@code registry}. The event-bus meters
   * ({@code vertx_eventbus_*}) cost a meter look-up per message sent and received — the largest single CPU cost
   * the benchmark found on the request path — so they are on only when asked for.
   */
  public static VertxBuilder withMetrics(VertxBuilder builder, VertxOptions options, PrometheusMeterRegistry registry,
                                         boolean eventBusMetrics) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true);
    if (!eventBusMetrics) {
      metrics.addDisabledMetricsCategory(MetricsDomain.EVENT_BUS);
    }
    options.setMetricsOptions(metrics);
    return builder.with(options).withMetrics(new MicrometerMetricsFactory(registry));
  }

  private static void bindSecondsCounters(MeterRegistry registry) {
    CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
    if (compilation != null && compilation.isCompilationTimeMonitoringSupported()) {
      FunctionCounter.builder("jvm.compilation.time", compilation, bean -> bean.getTotalCompilationTime() / 1e3)
        .description("Time spent in JIT compilation").baseUnit(SECONDS).register(registry);
    }
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      FunctionCounter.builder("process.cpu", os, bean -> bean.getProcessCpuTime() / 1e9)
        .description("CPU time used by the JVM process").baseUnit(SECONDS).register(registry);
    }
  }

  /**
   * The registry of this JVM's Vert.x metrics backend, where verticles register their meters; a registry of their own
   * when Vert.x runs without metrics (the meters then exist but are not exported).
   */
  public static MeterRegistry currentRegistry() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return registry != null ? registry : new SimpleMeterRegistry();
  }
}
