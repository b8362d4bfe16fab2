package io.meshnode.redis;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayDeque;

/**
 * One pipelined Redis connection whose writes are coalesced: a command is written at once when nothing is in
 * flight; otherwise it is held until the next reply arrives and written then, together with every other command held
 * meanwhile.
 *
 * <p>Why: Vert.x flushes a socket write at once unless it is made while that socket's read is being handled, in
 * which case the flush waits for the end of the read. Commands that arrive from the event bus are written outside any
 * read, so each one cost its own flush — a {@code write} system call, and a separate read for Redis — which made a
 * GET through the node several times dearer than the same GET issued from a reply handler of the connection (how a
 * direct client under load naturally writes). Writing held commands from the reply handler gives the node the same
 * batching; a command never waits longer than the reply that is already on its way, and a lone command (nothing in
 * flight) is written at once, so latency at low load is unchanged. Commands keep their order.
 *
 * <p>At most {@code maxWaiting} commands are in flight or held; beyond that a command fails at once, as the client's
 * own waiting queue would. Not thread-safe: used from its verticle's event loop, which is the connection's context.
 */
final class CoalescingConnection {

  private record Held(Request command, Promise<Response> reply) {
  }

  private final RedisConnection connection;
  private final int maxWaiting;
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private int inFlight;
  private boolean releasing;

  CoalescingConnection(RedisConnection connection, int maxWaiting) {
    this.connection = connection;
    this.maxWaiting = maxWaiting;
  }

  /** Writes {@code command} now when nothing is in flight, otherwise with the batch the next reply releases. */
  Future<Response> send(Request command) {
    if (inFlight == 0 && held.isEmpty()) {
      return write(command);
    }
    if (inFlight + held.size() >= maxWaiting) {
      return Future.failedFuture("Redis waiting queue is full (" + maxWaiting + " commands)");
    }
    Promise<Response> reply = Promise.promise();
    held.add(new Held(command, reply));
    return reply.future();
  }

  /** Fails every held command: the connection is gone (commands in flight are failed by the client). */
  void failHeld(String why) {
    Held next;
    while ((next = held.poll()) != null) {
      next.reply().tryFail(why);
    }
  }

  private Future<Response> write(Request command) {
    inFlight++;
    return connection.send(command).andThen(reply -> {
      inFlight--;
      release();
    });
  }

  /**
   * Writes every held command; called from a reply's completion, so inside the connection's read, where Vert.x
   * defers the flush to the end of the read. A write failing at once completes inside this loop: the flag keeps that
   * from recursing.
   */
  private void release() {
    if (releasing) {
      return;
    }
    releasing = true;
    try {
      Held next;
      while ((next = held.poll()) != null) {
        write(next.command()).onComplete(next.reply());
      }
    } finally {
      releasing = false;
    }
  }

  /** Closes the connection (the pool gets it back). */
  Future<Void> close() {
    failHeld("Redis connection closed");
    return connection.close();
  }
}
