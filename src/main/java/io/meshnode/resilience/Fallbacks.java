package io.meshnode.resilience;

import io.meshnode.kafka.LocalQueueFallback;
import io.meshnode.postgres.CachedResultsFallback;
import io.meshnode.postgres.StatementCatalog;
import io.meshnode.redis.InMemoryCacheFallback;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;

/**
 * One {@link Fallback} per strategy of {@code fallback_strategies}, shared by every route that names it (the three
 * Redis operations share one in-memory cache).
 */
final class Fallbacks {

  private final ResilienceConfig config;
  private final StatementCatalog statements;
  private final InternalCall enqueue;
  private final Map<String, Fallback> byStrategy = new HashMap<>();

  Fallbacks(ResilienceConfig config, StatementCatalog statements, InternalCall enqueue) {
    this.config = config;
    this.statements = statements;
    this.enqueue = enqueue;
  }

  /** The route's fallback, or null when it has none. */
  Fallback forRoute(RouteOptions route) {
    if (route.fallback() == null) {
      return null;
    }
    return byStrategy.computeIfAbsent(route.fallback(), name -> create(name, config.fallbackStrategy(name), route));
  }

  private Fallback create(String name, JsonObject strategy, RouteOptions route) {
    return switch (strategy.getString("fallback")) {
      case ResilienceConfig.FALLBACK_IN_MEMORY -> InMemoryCacheFallback.fromJson(name, strategy);
      case ResilienceConfig.FALLBACK_CACHED_RESULTS -> CachedResultsFallback.fromJson(name, strategy, statements);
      default -> new LocalQueueFallback(request -> enqueue.call(request, route.timeout().toMillis()));
    };
  }
}
