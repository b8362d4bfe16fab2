package io.meshnode.postgres;

import io.meshnode.contract.MeshFailure;
import io.meshnode.contract.MeshField;
import io.meshnode.resilience.ConfigValues;
import io.meshnode.resilience.Fallback;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The spec's {@code analytics_query} strategy: when PostgreSQL is unavailable, a read statement is answered with the
 * last good result for the same statement and parameters, marked {@code stale:true} with its {@code cachedAt}.
 * Bounded (least recently used evicted). Write statements have no fallback: they fail with a clear 503, nothing
 * pretended.
 *
 * <p>Every good read result is stored, so this is on the hot path: the key is the statement name and the parameters'
 * {@link JsonArray} itself (compared by content; the request is the pipeline's own copy and is not changed
 * afterwards), not their JSON encoding, and the time is kept as epoch milliseconds, formatted only when a stale
 * result is served. Not thread-safe: confined to the context of the resilience verticle that owns it.
 */
public final class CachedResultsFallback implements Fallback {

  /** Default bound on cached results. */
  public static final int DEFAULT_MAX_ENTRIES = 1_000;

  private record CachedResult(JsonObject reply, long cachedAtMillis) {
  }

  private record Key(String query, JsonArray params) {
  }

  private final StatementCatalog statements;
  private final Map<Key, CachedResult> results;

  public CachedResultsFallback(StatementCatalog statements, int maxEntries) {
    this.statements = statements;
    this.results = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, CachedResult> eldest) {
        return size() > maxEntries;
      }
    };
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
    CachedResult cached = results.get(cacheKey(request));
    if (cached == null) {
      return Future.failedFuture(MeshFailure.of(MeshFailure.UNAVAILABLE,
        "postgresql unavailable and no cached result for " + name + ": " + cause.getMessage()));
    }
    return Future.succeededFuture(new JsonObject()
      .put(MeshField.ROWS, cached.reply.getValue(MeshField.ROWS))
      .put(MeshField.ROW_COUNT, cached.reply.getValue(MeshField.ROW_COUNT))
      .put(MeshField.STALE, true)
      .put(MeshField.CACHED_AT, Instant.ofEpochMilli(cached.cachedAtMillis).toString()));
  }

  @Override
  public void onPrimarySuccess(String address, JsonObject request, JsonObject reply) {
    NamedStatement statement = statements.find(request.getString(MeshField.QUERY));
    if (statement != null && !statement.write()) {
      results.put(cacheKey(request), new CachedResult(reply, System.currentTimeMillis()));
    }
  }

  private static Key cacheKey(JsonObject request) {
    return new Key(request.getString(MeshField.QUERY), request.getJsonArray(MeshField.PARAMS));
  }

  /** Results held (for tests). */
  int size() {
    return results.size();
  }
}
