package io.meshnode.resilience;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Keeps an event that can happen on every request (a fallback while a breaker is open, a retry, a timeout) from
 * flooding the log: the first occurrence in a window is logged, the others are counted and their number is given
 * with the next line logged. The metrics still count every occurrence.
 */
public final class LogThrottle {

  /** Default window: at most one line per event kind and operation every 10 s. */
  public static final long DEFAULT_WINDOW_NANOS = 10_000_000_000L;

  private final long windowNanos;
  private final AtomicLong nextLogNanos = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  public LogThrottle(long windowNanos) {
    this.windowNanos = windowNanos;
  }

  /** Calls {@code log} with the number of occurrences suppressed since the last line, or counts this one. */
  public void occurred(LongConsumer log) {
    long now = System.nanoTime();
    long next = nextLogNanos.get();
    if ((next == Long.MIN_VALUE || now - next >= 0) && nextLogNanos.compareAndSet(next, now + windowNanos)) {
      log.accept(suppressed.getAndSet(0));
    } else {
      suppressed.incrementAndGet();
    }
  }
}
