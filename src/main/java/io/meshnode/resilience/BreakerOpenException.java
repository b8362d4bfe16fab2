package io.meshnode.resilience;

/** Failure of a call the breaker refused without touching the dependency. Stackless: it is the fail-fast path. */
public final class BreakerOpenException extends RuntimeException {

  public BreakerOpenException(String breaker) {
    super("circuit breaker '" + breaker + "' is open", null, false, false);
  }
}
