package io.meshnode.resilience;

import io.meshnode.contract.MeshFailure;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Classifies failures of an attempt. Only the dependency's failures — timeouts (of the deadline or of a bus request),
 * no handler, and coded failures other than 400, 404 and 500 (503 from a data verticle) — are retried, counted by the
 * breaker and answered by the fallback. Client errors (400/404: the request, refused by the validator or by the
 * dependency itself) and the node's own errors (500: its configuration, or an exception anywhere on the path) go back
 * to the caller as they are, at once.
 */
public final class Failures {

  private Failures() {
  }

  /** True when the failure describes the request, not the dependency. */
  public static boolean isClientError(Throwable failure) {
    return failure instanceof ReplyException reply
      && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
      && MeshFailure.isClientError(reply.failureCode());
  }

  /**
   * True when the failure is the node's own: a 500 (its configuration, or an exception a data verticle turned into
   * one), or an exception that is none of the contract's failures.
   */
  public static boolean isNodeError(Throwable failure) {
    if (failure instanceof ReplyException reply) {
      return reply.failureType() == ReplyFailure.RECIPIENT_FAILURE && reply.failureCode() == MeshFailure.INTERNAL;
    }
    return !(failure instanceof DeadlineExceededException) && !(failure instanceof BreakerOpenException);
  }

  /** True when the breaker should count it: the dependency's failures only. */
  public static boolean countsAgainstDependency(Throwable failure) {
    return !isClientError(failure) && !isNodeError(failure) && !(failure instanceof BreakerOpenException);
  }

  /** True when another attempt may succeed. */
  public static boolean isRetryable(Throwable failure) {
    return countsAgainstDependency(failure);
  }

  /** True when a fallback may answer instead: every failure but the caller's and the node's own. */
  public static boolean isForFallback(Throwable failure) {
    return !isClientError(failure) && !isNodeError(failure);
  }

  /** True when the failure is a timeout: of the deadline, or of the bus request bounded by it. */
  public static boolean isTimeout(Throwable failure) {
    return failure instanceof DeadlineExceededException
      || failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT;
  }

  /** The contract failure a caller receives when no fallback answers. */
  public static ReplyException toReply(Throwable failure) {
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      return reply;
    }
    if (isTimeout(failure)) {
      return MeshFailure.of(MeshFailure.DEADLINE_EXCEEDED, failure.getMessage());
    }
    if (failure instanceof BreakerOpenException) {
      return MeshFailure.of(MeshFailure.UNAVAILABLE, failure.getMessage());
    }
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
      return MeshFailure.of(MeshFailure.UNAVAILABLE, "no verticle serves " + reply.getMessage());
    }
    return MeshFailure.of(MeshFailure.INTERNAL, "internal error: " + failure);
  }
}
