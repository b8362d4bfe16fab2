package io.meshnode.support;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for a Future from a test thread (never an event loop), failing with what it waited for. */
public final class Await {

  private Await() {
  }

  /** The result of {@code future}, its failure rethrown, or an {@link AssertionError} naming {@code what}. */
  public static <T> T result(Future<T> future, Duration timeout, String what) {
    try {
      return future.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what, e);
    }
  }
}
