package io.meshnode.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/** Waits for a condition by asking it again on a timer, with a deadline: no sleeping threads. */
public final class Poll {

  private Poll() {
  }

  /** Completes when {@code condition} yields true; fails naming {@code what} after {@code timeoutMillis}. */
  public static Future<Void> until(Vertx vertx, String what, long timeoutMillis, Supplier<Future<Boolean>> condition) {
    Promise<Void> done = Promise.promise();
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    check(vertx, what, deadline, timeoutMillis, condition, done);
    return done.future();
  }

  private static void check(Vertx vertx, String what, long deadline, long timeoutMillis,
                            Supplier<Future<Boolean>> condition, Promise<Void> done) {
    condition.get().otherwise(false).onComplete(ar -> {
      if (Boolean.TRUE.equals(ar.result())) {
        done.complete();
      } else if (System.nanoTime() > deadline) {
        done.fail(new AssertionError("timed out after " + timeoutMillis + " ms waiting for " + what));
      } else {
        vertx.setTimer(50, id -> check(vertx, what, deadline, timeoutMillis, condition, done));
      }
    });
  }
}
