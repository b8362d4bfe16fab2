package io.meshnode.bootstrap;

import io.micrometer.core.instrument.Meter;
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
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.util.Map;

/**
 * The node's Prometheus registry: Vert.x meters (vertx-micrometer-metrics), JVM and system binders, and the
 * resilience series. A few Micrometer binders name meters in ways {@code promtool check metrics} rejects
 * (abbreviated units, a {@code _count} suffix on a gauge); they are renamed here rather than dropped.
 */
public final class MetricsSetup {

  /** Micrometer names that promtool rejects, and what they are exported as instead. */
  private static final Map<String, String> RENAMES = Map.of(
    "jvm.compilation.time", "jvm.compilation.duration.milliseconds",
    "process.cpu.time", "process.cpu.duration.nanoseconds",
    "system.cpu.count", "system.cpu.logical.processors");

  private MetricsSetup() {
  }

  /** A new registry with the renames applied and the JVM/system binders bound. */
  public static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        String renamed = RENAMES.get(id.getName());
        return renamed == null ? id : id.withName(renamed).withBaseUnit(null);
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
    return registry;
  }

  /** Enables Vert.x metrics on {@code options} and routes them to {@code registry}. */
  public static VertxBuilder withMetrics(VertxBuilder builder, VertxOptions options, PrometheusMeterRegistry registry) {
    options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
    return builder.with(options).withMetrics(new MicrometerMetricsFactory(registry));
  }
}
