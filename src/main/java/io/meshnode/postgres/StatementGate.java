package io.meshnode.postgres;

import io.meshnode.contract.MeshFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * Hands statements to the PostgreSQL client at most {@code capacity} at a time (the pool's connections × the
 * statements each pipelines), holding the rest in order, so that the client's pool never has to queue one.
 *
 * <p>Why: vertx-sql-client arms a timer for every statement it is given and cancels it once the statement has a
 * connection, so that a statement that waited longer than {@code connection_timeout_ms} fails instead of running
 * late; one timer per statement was ~0.5 µs of CPU and ~400 bytes of the node's PostgreSQL path. Here the same bound
 * holds for the statements that actually wait: a held statement that waited longer fails with 503 without being run,
 * when the next one is handed over or at the latest at the verticle's next {@link #expire} sweep, and the client's
 * own per-statement timer is off. The bound does not cover a statement waiting inside the client for a new
 * connection to be opened (below {@code capacity}); the operation's deadline still answers its caller.
 *
 * <p>At most {@code maxWaiting} statements are held; beyond that one fails at once with 503, as the pool's wait
 * queue did. Not thread-safe: used from its verticle's event loop.
 */
final class StatementGate {

  private record Held(Promise<Void> turn, long heldAtNanos) {
  }

  private final int capacity;
  private final int maxWaiting;
  private final long maxWaitNanos;
  private final LongSupplier nanoClock;
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private int running;
  private boolean handingOver;

  StatementGate(int capacity, int maxWaiting, long maxWaitMillis, LongSupplier nanoClock) {
    this.capacity = capacity;
    this.maxWaiting = maxWaiting;
    this.maxWaitNanos = maxWaitMillis * 1_000_000L;
    this.nanoClock = nanoClock;
  }

  /**
   * Takes a place for a statement to run now, if fewer than {@code capacity} run and none is held; the caller then
   * runs it and calls {@link #done} once it completed. No allocation on this path.
   */
  boolean admit() {
    if (running < capacity && held.isEmpty()) {
      running++;
      return true;
    }
    return false;
  }

  /**
   * For a statement {@link #admit} refused: completes once it has a place (taken for it: run it, then call
   * {@link #done}), or fails with 503 when {@code maxWaiting} already wait or it waited longer than the bound
   * (then it holds no place and must not run).
   */
  Future<Void> turn() {
    if (held.size() >= maxWaiting) {
      return Future.failedFuture(MeshFailure.of(MeshFailure.UNAVAILABLE,
        "postgresql: " + maxWaiting + " statements already wait for a connection"));
    }
    // admit refused: every place is taken (held statements exist only then, outside a hand-over)
    Promise<Void> turn = Promise.promise();
    held.add(new Held(turn, nanoClock.getAsLong()));
    return turn.future();
  }

  /** A statement that had a place completed: the place goes to the oldest held statement that may still run. */
  void done() {
    running--;
    handOver();
  }

  /** Fails, without running them, the held statements that waited longer than the bound. */
  void expire() {
    long now = nanoClock.getAsLong();
    Held head;
    while ((head = held.peek()) != null && now - head.heldAtNanos() > maxWaitNanos) {
      held.poll();
      head.turn().fail(MeshFailure.of(MeshFailure.UNAVAILABLE,
        "postgresql: no connection within " + maxWaitNanos / 1_000_000 + " ms"));
    }
  }

  /** Fails every held statement, unrun: the client is closing. */
  void close(String why) {
    Held next;
    while ((next = held.poll()) != null) {
      next.turn().fail(MeshFailure.of(MeshFailure.UNAVAILABLE, why));
    }
  }

  int running() {
    return running;
  }

  int waiting() {
    return held.size();
  }

  /** Gives free places to held statements; one that completes at once calls {@link #done} inside: no recursion. */
  private void handOver() {
    if (handingOver) {
      return;
    }
    handingOver = true;
    try {
      expire();
      Held next;
      while (running < capacity && (next = held.poll()) != null) {
        running++;
        next.turn().complete();
      }
    } finally {
      handingOver = false;
    }
  }
}
