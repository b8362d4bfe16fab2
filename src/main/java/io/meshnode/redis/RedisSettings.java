package io.meshnode.redis;

import io.meshnode.resilience.ConfigValues;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisOptions;

/**
 * Reads the {@code redis} config section: {@code url} (default {@code redis://127.0.0.1:6379}), {@code password}
 * (set only from the environment), {@code max_pool_size}, {@code max_pool_waiting}.
 */
final class RedisSettings {

  static final String DEFAULT_URL = "redis://127.0.0.1:6379";
  static final int DEFAULT_MAX_POOL_SIZE = 8;
  static final int DEFAULT_MAX_POOL_WAITING = 4096;

  private RedisSettings() {
  }

  static RedisOptions fromJson(JsonObject json) {
    RedisOptions options = new RedisOptions()
      .setConnectionString(ConfigValues.string(json, "redis", "url", DEFAULT_URL))
      .setMaxPoolSize(ConfigValues.positiveInt(json, "redis", "max_pool_size", DEFAULT_MAX_POOL_SIZE))
      .setMaxPoolWaiting(ConfigValues.positiveInt(json, "redis", "max_pool_waiting", DEFAULT_MAX_POOL_WAITING))
      .setMaxWaitingHandlers(ConfigValues.positiveInt(json, "redis", "max_waiting_handlers", 16_384));
    String password = json.getString("password");
    if (password != null && !password.isEmpty()) {
      options.setPassword(password);
    }
    return options;
  }
}
