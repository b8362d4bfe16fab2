package io.meshnode.postgres;

import io.meshnode.resilience.ConfigValues;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * Reads the {@code postgres} config section: {@code host}, {@code port}, {@code database}, {@code user},
 * {@code password} (set only from the environment), {@code application_name} (default mesh-node: how its
 * sessions show in pg_stat_activity), {@code pool_size}, {@code pipelining_limit}, {@code max_wait_queue},
 * {@code connection_timeout_ms}.
 */
final class PostgresSettings {

  static final int DEFAULT_POOL_SIZE = 8;
  /**
   * Statements in flight on one connection. Pipelining doubles the statements a connection serves (fewer round trips
   * and system calls on both ends); the price is that a slow statement delays those queued behind it on its
   * connection, which is why it is bounded.
   */
  static final int DEFAULT_PIPELINING_LIMIT = 8;

  private PostgresSettings() {
  }

  static PgConnectOptions connectOptions(JsonObject json) {
    PgConnectOptions options = new PgConnectOptions()
      .setHost(ConfigValues.string(json, "postgres", "host", "127.0.0.1"))
      .setPort(ConfigValues.positiveInt(json, "postgres", "port", 5432))
      .setDatabase(ConfigValues.string(json, "postgres", "database", "test"))
      .setUser(ConfigValues.string(json, "postgres", "user", "postgres"))
      .setCachePreparedStatements(true)
      .setPipeliningLimit(pipeliningLimit(json))
      .addProperty("application_name", ConfigValues.string(json, "postgres", "application_name", "mesh-node"));
    String password = json.getString("password");
    if (password != null && !password.isEmpty()) {
      options.setPassword(password);
    }
    return options;
  }

  /**
   * The client's pool. Its per-statement wait timer is off ({@code connectionTimeout} 0): {@link StatementGate}
   * bounds the wait of the statements that wait, {@link #connectionTimeoutMillis}, without a timer per statement.
   */
  static PoolOptions poolOptions(JsonObject json) {
    return new PoolOptions()
      .setMaxSize(poolSize(json))
      .setMaxWaitQueueSize(maxWaiting(json))
      .setConnectionTimeout(0)
      .setName("mesh-postgres");
  }

  /** Statements the client runs at once: every connection of the pool carrying its pipelining limit. */
  static int statementsInFlight(JsonObject json) {
    return poolSize(json) * pipeliningLimit(json);
  }

  /** Statements that may wait for a place ({@code max_wait_queue}). */
  static int maxWaiting(JsonObject json) {
    return ConfigValues.positiveInt(json, "postgres", "max_wait_queue", 4096);
  }

  /** How long a statement may wait for a place before it fails unrun ({@code connection_timeout_ms}). */
  static int connectionTimeoutMillis(JsonObject json) {
    return ConfigValues.positiveInt(json, "postgres", "connection_timeout_ms", 10_000);
  }

  private static int pipeliningLimit(JsonObject json) {
    return ConfigValues.positiveInt(json, "postgres", "pipelining_limit", DEFAULT_PIPELINING_LIMIT);
  }

  private static int poolSize(JsonObject json) {
    return ConfigValues.positiveInt(json, "postgres", "pool_size", DEFAULT_POOL_SIZE);
  }
}
