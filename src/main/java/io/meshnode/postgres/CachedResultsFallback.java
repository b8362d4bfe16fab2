package io.meshnode.postgres;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.meshnode.contract.MeshFailure;
import io.meshnode.contract.MeshField;
import io.meshnode.resilience.ConfigValues;
import io.meshnode.resilience.Fallback;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * The spec's {@code analytics_query} strategy: when PostgreSQL is unavailable, a read statement is answered with the
 * last good result for the same statement and parameters, marked {@code stale:true} with its {@code cachedAt}.
 * Bounded (LRU-ish, Caffeine). Write statements have no fallback: they fail with a clear 503, nothing pretended.
 */
public final class CachedResultsFallback implements Fallback {

  /** Default bound on cached results. */
  public static final int DEFAULT_MAX_ENTRIES = 1_000;

  private record CachedResult(JsonObject reply, String cachedAt) {
  }

  private final StatementCatalog statements;
  private final Cache<String, CachedResult> results;

  public CachedResultsFallback(StatementCatalog statements, int maxEntries) {
    this.statements = statements;
    this.results = Caffeine.newBuilder().maximumSize(maxEntries).build();
  }

  /** Builds it from {@code fallback_strategies.<name>}: {@code max_entries}. */
  public static CachedResultsFallback fromJson(String name, JsonObject strategy, StatementCatalog statements) {
    return new CachedResultsFallback(statements,
      ConfigValues.positiveInt(strategy, "fallback_strategies." + name, "max_entries", DEFAULT_MAX_ENTRIES));
  }

  @Override
  public Future<JsonObject> apply(String address, JsonObject request, Throwable cause) {
    String name = request.getString(MeshField.QUERY);
    NamedStatement statement = statements.find(name);
    if (statement == null || statement.write()) {
      return Future.failedFuture(MeshFailure.of(MeshFailure.UNAVAILABLE,
        "postgresql unavailable, and write statement " + name + " has no fallback: " + cause.getMessage()));
    }
    CachedResult cached = results.getIfPresent(cacheKey(request));
    if (cached == null) {
      return Future.failedFuture(MeshFailure.of(MeshFailure.UNAVAILABLE,
        "postgresql unavailable and no cached result for " + name + ": " + cause.getMessage()));
    }
    return Future.succeededFuture(new JsonObject()
      .put(MeshField.ROWS, cached.reply.getValue(MeshField.ROWS))
      .put(MeshField.ROW_COUNT, cached.reply.getValue(MeshField.ROW_COUNT))
      .put(MeshField.STALE, true)
      .put(MeshField.CACHED_AT, cached.cachedAt));
  }

  @Override
  public void onPrimarySuccess(String address, JsonObject request, JsonObject reply) {
    NamedStatement statement = statements.find(request.getString(MeshField.QUERY));
    if (statement != null && !statement.write()) {
      results.put(cacheKey(request), new CachedResult(reply, Instant.now().toString()));
    }
  }

  private static String cacheKey(JsonObject request) {
    return request.getString(MeshField.QUERY) + '\u0000' + request.getJsonArray(MeshField.PARAMS).encode();
  }
}
