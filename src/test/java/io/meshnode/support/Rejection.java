package io.meshnode.support;

import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;

/** Turns an expected coded failure into a value to assert on. */
public final class Rejection {

  private Rejection() {
  }

  /** Succeeds with the {@link ReplyException} {@code future} failed with; fails if it succeeded or failed otherwise. */
  public static Future<ReplyException> of(Future<?> future) {
    return future.transform(ar -> ar.failed() && ar.cause() instanceof ReplyException e ? Future.succeededFuture(e)
      : Future.failedFuture(new AssertionError("expected a coded failure, got "
      + (ar.failed() ? ar.cause() : ar.result()))));
  }
}
