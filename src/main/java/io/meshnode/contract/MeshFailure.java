package io.meshnode.contract;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Failure codes of the public contract. Failures reach callers as {@link ReplyException}s of type
 * {@link ReplyFailure#RECIPIENT_FAILURE} whose {@link ReplyException#failureCode()} is one of these; a caller branches on
 * {@code failureType()} first (TIMEOUT, NO_HANDLERS) and then on the code.
 */
public final class MeshFailure {

  /** The request is malformed; the message names the field. Never retried, never counted by a breaker. */
  public static final int BAD_REQUEST = 400;
  /** The named statement is not declared in conf. Never retried, never counted by a breaker. */
  public static final int NOT_FOUND = 404;
  /** Internal error of the node itself. */
  public static final int INTERNAL = 500;
  /** The dependency is unavailable and the operation has no fallback (breaker open, retries exhausted). */
  public static final int UNAVAILABLE = 503;
  /** The operation's deadline passed. */
  public static final int DEADLINE_EXCEEDED = 504;
  /** The durable local Kafka queue is full: the message was not accepted (and nothing was dropped). */
  public static final int QUEUE_FULL = 507;

  private MeshFailure() {
  }

  /** A failure with a contract code and a message saying what went wrong. */
  public static ReplyException of(int code, String message) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, message);
  }

  /** A 400 naming the offending field. */
  public static ReplyException badRequest(String field, String problem) {
    return of(BAD_REQUEST, "bad request: field '" + field + "' " + problem);
  }

  /** True for codes that describe the request rather than the dependency: never retried, never a breaker failure. */
  public static boolean isClientError(int code) {
    return code == BAD_REQUEST || code == NOT_FOUND;
  }
}
