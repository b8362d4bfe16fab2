package io.meshnode.bench;

import io.vertx.core.Future;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocking waits for the harness's main thread (never called on an event loop), always bounded. */
final class Wait {

  static final long DEFAULT_MILLIS = 120_000;

  private Wait() {
  }

  static <T> T on(Future<T> future, String what) {
    return on(future, what, DEFAULT_MILLIS);
  }

  static <T> T on(Future<T> future, String what, long millis) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not " + what + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("could not " + what + " within " + millis + " ms", e);
    }
  }

  /** Sleeps the main thread: only between passes, never on an event loop. */
  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
