package io.meshnode.support;

import io.meshnode.bootstrap.MetricsSetup;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusLintTest {

  @Test
  void shouldFlagWhatPromtoolFlagsInMicrometersDefaultNames() {
    PrometheusMeterRegistry plain = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmCompilationMetrics().bindTo(plain);
    new ProcessorMetrics().bindTo(plain);

    assertThat(PrometheusLint.lint(plain.scrape()))
      .anyMatch(problem -> problem.startsWith("jvm_compilation_time_ms_total"))
      .anyMatch(problem -> problem.startsWith("system_cpu_count"));
  }

  @Test
  void shouldFindNothingInTheNodesRegistry() {
    assertThat(PrometheusLint.lint(MetricsSetup.newRegistry().scrape())).isEmpty();
    assertThat(PrometheusLint.problems(MetricsSetup.newRegistry().scrape())).isEmpty();
  }
}
