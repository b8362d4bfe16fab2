package io.meshnode.resilience;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The spec's four Prometheus series: {@code circuit_breaker_state{service}}, {@code retry_attempts_total{operation}},
 * {@code timeout_errors_total{operation}} and {@code fallback_invocations_total{operation}}. Counters are created
 * once per operation, so every series exists (at 0) from start-up. Breaker transitions are also counted, in
 * {@code circuit_breaker_transitions_total{service, state}} (the state entered).
 */
public final class ResilienceMetrics {

  /** Gauge name; 0 closed, 1 half_open, 2 open. */
  public static final String BREAKER_STATE = "circuit_breaker_state";
  /** Counter name; Prometheus exposition adds {@code _total}. */
  public static final String RETRY_ATTEMPTS = "retry_attempts";
  public static final String TIMEOUT_ERRORS = "timeout_errors";
  public static final String FALLBACK_INVOCATIONS = "fallback_invocations";
  public static final String BREAKER_TRANSITIONS = "circuit_breaker_transitions";

  private final MeterRegistry registry;

  public ResilienceMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers the state gauge of {@code breaker}. */
  public void watch(DependencyBreaker breaker) {
    Gauge.builder(BREAKER_STATE, breaker, b -> b.state().gaugeValue())
      .description("Circuit breaker state (0=closed, 1=half_open, 2=open)")
      .tag("service", breaker.name())
      .register(registry);
  }

  /** Counts a transition of {@code breaker} into {@code state}. */
  public void transitioned(String breaker, BreakerState state) {
    Counter.builder(BREAKER_TRANSITIONS).description("Circuit breaker transitions, by the state entered")
      .tag("service", breaker).tag("state", state.label()).register(registry).increment();
  }

  /** The counters of one operation. */
  public OperationCounters operation(String operation) {
    return new OperationCounters(
      counter(RETRY_ATTEMPTS, "Retries after a failed attempt", operation),
      counter(TIMEOUT_ERRORS, "Operations that exceeded their deadline", operation),
      counter(FALLBACK_INVOCATIONS, "Requests answered by invoking the fallback", operation));
  }

  private Counter counter(String name, String description, String operation) {
    return Counter.builder(name).description(description).tag("operation", operation).register(registry);
  }

  /** Counters of one operation, resolved once so the hot path does no registry look-ups. */
  public record OperationCounters(Counter retries, Counter timeouts, Counter fallbacks) {
  }
}
