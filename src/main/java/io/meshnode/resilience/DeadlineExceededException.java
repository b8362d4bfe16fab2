package io.meshnode.resilience;

/** Failure of an operation whose deadline passed, retries and backoff included. Stackless. */
public final class DeadlineExceededException extends RuntimeException {

  public DeadlineExceededException(String operation, long timeoutMillis) {
    super(operation + " exceeded its deadline of " + timeoutMillis + " ms", null, false, false);
  }
}
