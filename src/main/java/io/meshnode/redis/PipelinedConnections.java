package io.meshnode.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * A few long-lived Redis connections used round-robin, each with many commands in flight (pipelined): one
 * pipelined connection serves an order of magnitude more commands per second than borrowing a pooled connection
 * per command. A connection is opened on first use and dropped on any error or close; the next command reopens it,
 * so a Redis that comes back is used again without a restart. Not thread-safe: used from its verticle's event loop.
 */
final class PipelinedConnections {

  private final Redis client;
  private final RedisConnection[] open;
  private final Future<RedisConnection>[] opening;
  private int next;

  @SuppressWarnings("unchecked")
  PipelinedConnections(Redis client, int connections) {
    this.client = client;
    this.open = new RedisConnection[connections];
    this.opening = new Future[connections];
  }

  /** Sends {@code command} on the next connection, opening it if needed. */
  Future<Response> send(Request command) {
    int slot = next;
    next = (next + 1) % open.length;
    RedisConnection connection = open[slot];
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

  private Future<RedisConnection> connect(int slot) {
    if (opening[slot] == null) {
      opening[slot] = client.connect().andThen(ar -> {
        opening[slot] = null;
        if (ar.succeeded()) {
          RedisConnection connection = ar.result();
          open[slot] = connection;
          connection.exceptionHandler(failure -> drop(slot, connection));
          connection.endHandler(v -> drop(slot, connection));
        }
      });
    }
    return opening[slot];
  }

  private void drop(int slot, RedisConnection connection) {
    if (open[slot] == connection) {
      open[slot] = null;
      connection.close();
    }
  }
}
