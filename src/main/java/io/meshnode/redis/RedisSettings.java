package io.meshnode.redis;

import io.meshnode.resilience.ConfigValues;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisOptions;

/**
 * Reads the {@code redis} config section: {@code url} (default {@code redis://127.0.0.1:6379}), {@code password}
 * (set only from the environment), {@code pipelined_connections} (default 1: the connections commands are
 * pipelined on), {@code max_pool_size}, {@code max_pool_waiting}, {@code max_waiting_handlers} (commands in flight
 * per connection).
 */
final class RedisSettings {

  static final String DEFAULT_URL = "redis://127.0.0.1:6379";
  static final int DEFAULT_MAX_POOL_SIZE = 8;
  static final int DEFAULT_MAX_POOL_WAITING = 4096;
  static final int DEFAULT_PIPELINED_CONNECTIONS = 1;
  static final int DEFAULT_MAX_WAITING_HANDLERS = 16_384;

  private RedisSettings() {
  }

  /** How many pipelined connections the Redis verticle keeps ({@code pipelined_connections}). */
  static int pipelinedConnections(JsonObject json) {
    return ConfigValues.positiveInt(json, "redis", "pipelined_connections", DEFAULT_PIPELINED_CONNECTIONS);
  }

  /** Commands in flight (or held for the next write) per connection ({@code max_waiting_handlers}). */
  static int maxWaitingHandlers(JsonObject json) {
    return ConfigValues.positiveInt(json, "redis", "max_waiting_handlers", DEFAULT_MAX_WAITING_HANDLERS);
  }

  static RedisOptions fromJson(JsonObject json) {
    RedisOptions options = new RedisOptions()
      .setConnectionString(ConfigValues.string(json, "redis", "url", DEFAULT_URL))
      .setMaxPoolSize(ConfigValues.positiveInt(json, "redis", "max_pool_size", DEFAULT_MAX_POOL_SIZE))
      .setMaxPoolWaiting(ConfigValues.positiveInt(json, "redis", "max_pool_waiting", DEFAULT_MAX_POOL_WAITING))
      .setMaxWaitingHandlers(maxWaitingHandlers(json));
    String password = json.getString("password");
    if (password != null && !password.isEmpty()) {
      options.setPassword(password);
    }
    return options;
  }
}
