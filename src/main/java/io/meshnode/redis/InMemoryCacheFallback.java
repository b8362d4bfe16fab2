package io.meshnode.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshFailure;
import io.meshnode.contract.MeshField;
import io.meshnode.resilience.ConfigValues;
import io.meshnode.resilience.Fallback;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * The spec's {@code cache} strategy: when Redis is unavailable, a bounded in-memory cache (Caffeine) answers.
 * Successful reads and writes keep it warm; a SET's {@code ttlSeconds} is honoured, and entries learnt from reads live
 * at most {@code read_ttl_seconds}. Writes it serves live only in this node's memory (the reply says
 * {@code memoryOnly:true}) and are never written back to Redis. A read of a key it does not hold fails with 503.
 */
public final class InMemoryCacheFallback implements Fallback {

  /** Default bound on entries. */
  public static final int DEFAULT_MAX_ENTRIES = 10_000;
  /** Default life of an entry learnt from a read, whose Redis TTL the node does not know. */
  public static final Duration DEFAULT_READ_TTL = Duration.ofMinutes(5);

  private record Entry(String value, long ttlNanos) {
  }

  private final Cache<String, Entry> cache;
  private final long readTtlNanos;

  public InMemoryCacheFallback(int maxEntries, Duration readTtl) {
    this.readTtlNanos = readTtl.toNanos();
    this.cache = Caffeine.newBuilder().maximumSize(maxEntries).expireAfter(new Expiry<String, Entry>() {
      @Override
      public long expireAfterCreate(String key, Entry entry, long currentTime) {
        return entry.ttlNanos;
      }

      @Override
      public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
        return entry.ttlNanos;
      }

      @Override
      public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
        return currentDuration;
      }
    }).build();
  }

  /** Builds it from {@code fallback_strategies.<name>}: {@code max_entries}, {@code read_ttl_seconds}. */
  public static InMemoryCacheFallback fromJson(String name, JsonObject strategy) {
    String path = "fallback_strategies." + name;
    return new InMemoryCacheFallback(
      ConfigValues.positiveInt(strategy, path, "max_entries", DEFAULT_MAX_ENTRIES),
      ConfigValues.seconds(strategy, path, "read_ttl_seconds", DEFAULT_READ_TTL));
  }

  @Override
  public Future<JsonObject> apply(String address, JsonObject request, Throwable cause) {
    String key = request.getString(MeshField.KEY);
    switch (address) {
      case MeshAddress.REDIS_GET: {
        Entry entry = cache.getIfPresent(key);
        if (entry == null) {
          return Future.failedFuture(MeshFailure.of(MeshFailure.UNAVAILABLE,
            "redis unavailable and key not in the in-memory cache: " + cause.getMessage()));
        }
        return Future.succeededFuture(new JsonObject().put(MeshField.KEY, key).put(MeshField.VALUE, entry.value));
      }
      case MeshAddress.REDIS_SET:
        remember(key, request.getString(MeshField.VALUE), request.getLong(MeshField.TTL_SECONDS));
        return Future.succeededFuture(new JsonObject().put(MeshField.KEY, key).put(MeshField.STORED, true)
          .put(MeshField.MEMORY_ONLY, true));
      case MeshAddress.REDIS_DEL: {
        boolean held = cache.asMap().remove(key) != null;
        return Future.succeededFuture(new JsonObject().put(MeshField.KEY, key).put(MeshField.DELETED, held)
          .put(MeshField.MEMORY_ONLY, true));
      }
      default:
        return Future.failedFuture(MeshFailure.of(MeshFailure.INTERNAL, "in-memory cache cannot serve " + address));
    }
  }

  @Override
  public void onPrimarySuccess(String address, JsonObject request, JsonObject reply) {
    String key = request.getString(MeshField.KEY);
    switch (address) {
      case MeshAddress.REDIS_GET -> cache.put(key, new Entry(reply.getString(MeshField.VALUE), readTtlNanos));
      case MeshAddress.REDIS_SET ->
        remember(key, request.getString(MeshField.VALUE), request.getLong(MeshField.TTL_SECONDS));
      case MeshAddress.REDIS_DEL -> cache.invalidate(key);
      default -> {
      }
    }
  }

  private void remember(String key, String value, Long ttlSeconds) {
    long ttl = ttlSeconds == null ? Long.MAX_VALUE : Duration.ofSeconds(ttlSeconds).toNanos();
    cache.put(key, new Entry(value, ttl));
  }
}
