package io.meshnode.contract;

import io.vertx.core.eventbus.ReplyException;

/**
 * Whose fault a failed operation on a dependency is. Each data verticle classifies its client library's failures
 * (exception types and error codes, never message text) into one of these, and the code it answers tells the
 * resilience layer what to do.
 */
public enum Blame {

  /**
   * The request: the dependency (or its client) refuses it as it stands. Answered 400 at once; never retried, never
   * counted by a breaker, never answered by a fallback or queued.
   */
  CALLER(MeshFailure.BAD_REQUEST),
  /** The dependency cannot serve now: retried, counted by its breaker, answered by the fallback (503 without one). */
  DEPENDENCY(MeshFailure.UNAVAILABLE),
  /**
   * The node's configuration (credentials, permissions, statements in conf): answered 500 at once, never retried,
   * counted or answered by a fallback; the data verticle logs it.
   */
  CONFIGURATION(MeshFailure.INTERNAL);

  private final int code;

  Blame(int code) {
    this.code = code;
  }

  /** The contract code this failure is answered with. */
  public int code() {
    return code;
  }

  /** The coded failure for {@code cause} on {@code dependency}: {@code "<dependency>: <cause's message>"}. */
  public ReplyException failure(String dependency, Throwable cause) {
    return MeshFailure.of(code, dependency + ": " + cause.getMessage());
  }
}
