package io.meshnode.resilience;

/** A breaker's state as {@code /health} names it and {@code circuit_breaker_state} numbers it. */
public enum BreakerState {
  CLOSED("closed", 0),
  HALF_OPEN("half_open", 1),
  OPEN("open", 2);

  private final String label;
  private final int gaugeValue;

  BreakerState(String label, int gaugeValue) {
    this.label = label;
    this.gaugeValue = gaugeValue;
  }

  /** The lowercase name used in {@code /health} and breaker events. */
  public String label() {
    return label;
  }

  /** The value of {@code circuit_breaker_state}: 0 closed, 1 half_open, 2 open. */
  public int gaugeValue() {
    return gaugeValue;
  }
}
