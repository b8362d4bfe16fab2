package io.meshnode.resilience;

import io.meshnode.contract.MeshFailure;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Classifies failures of an attempt: client errors (400/404) are the caller's, never retried and never a breaker
 * failure; everything else that reaches the resilience layer (timeouts, connection failures, dependency errors,
 * no handler) is the dependency's, retryable and counted.
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

  /** True when the breaker should count it. */
  public static boolean countsAgainstDependency(Throwable failure) {
    return !isClientError(failure) && !(failure instanceof BreakerOpenException);
  }

  /** True when another attempt may succeed. */
  public static boolean isRetryable(Throwable failure) {
    return countsAgainstDependency(failure);
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
