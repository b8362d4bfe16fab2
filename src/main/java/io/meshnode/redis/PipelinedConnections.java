package io.meshnode.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * A few long-lived Redis connections used round-robin, each with many commands in flight (pipelined) and its writes
 * coalesced ({@link CoalescingConnection}): one pipelined connection serves an order of magnitude more commands per
 * second than borrowing a pooled connection per command. A connection is opened on first use and dropped on any
 * error or close; the next command reopens it, so a Redis that comes back is used again without a restart. Not
 * thread-safe: used from its verticle's event loop.
 */
final class PipelinedConnections {

  private final Redis client;
  private final int maxWaiting;
  private final CoalescingConnection[] open;
  private final Future<CoalescingConnection>[] opening;
  private int next;

  /** {@code maxWaiting}: commands in flight or held per connection, beyond which a command fails at once. */
  @SuppressWarnings("unchecked")
  PipelinedConnections(Redis client, int connections, int maxWaiting) {
    this.client = client;
    this.maxWaiting = maxWaiting;
    this.open = new CoalescingConnection[connections];
    this.opening = new Future[connections];
  }

  /** Sends {@code command} on the next connection, opening it if needed. */
  Future<Response> send(Request command) {
    int slot = next;
    next = (next + 1) % open.length;
    CoalescingConnection connection = open[slot];
    return connection != null ? connection.send(command) : connect(slot).compose(c -> c.send(command));
  }

  /** Closes every connection. */
  Future<Void> close() {
    for (int slot = 0; slot < open.length; slot++) {
      if (open[slot] != null) {
        open[slot].close();
        open[slot] = null;
      }
    }
    return client.close();
  }

  private Future<CoalescingConnection> connect(int slot) {
    if (opening[slot] == null) {
      opening[slot] = client.connect().recover(failure -> Future.failedFuture(new RedisFailures.HandshakeFailure(failure)))
        .map(redis -> {
        CoalescingConnection connection = new CoalescingConnection(redis, maxWaiting);
        redis.exceptionHandler(failure -> drop(slot, connection));
        redis.endHandler(v -> drop(slot, connection));
        return connection;
      }).andThen(ar -> {
        opening[slot] = null;
        if (ar.succeeded()) {
          open[slot] = ar.result();
        }
      });
    }
    return opening[slot];
  }

  private void drop(int slot, CoalescingConnection connection) {
    if (open[slot] == connection) {
      open[slot] = null;
      connection.close();
    }
  }
}
