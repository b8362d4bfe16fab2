package io.meshnode.redis;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshFailure;
import io.meshnode.contract.MeshField;
import io.meshnode.resilience.ConfigValues;
import io.meshnode.resilience.Fallback;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The spec's {@code cache} strategy: when Redis is unavailable, a bounded in-memory cache answers.
 * Successful reads and writes keep it warm; a SET's {@code ttlSeconds} is honoured, and entries learnt from reads live
 * at most {@code read_ttl_seconds}. Writes it serves live only in this node's memory (the reply says
 * {@code memoryOnly:true}) and are never written back to Redis. A read of a key it does not hold fails with 503.
 *
 * <p>The cache is a plain access-ordered map, least recently used entry evicted beyond {@code max_entries}, expired
 * entries dropped when read: every successful GET refreshes its entry, so this is on the hot path, and a Caffeine
 * put per GET (thread-safe, with its buffers and timer wheel) was ~6 % of the node thread's time. Not thread-safe:
 * confined to the context of the resilience verticle that owns it, where its pipelines call it.
 */
public final class InMemoryCacheFallback implements Fallback {

  /** Default bound on entries. */
  public static final int DEFAULT_MAX_ENTRIES = 10_000;
  /** Default life of an entry learnt from a read, whose Redis TTL the node does not know. */
  public static final Duration DEFAULT_READ_TTL = Duration.ofMinutes(5);

  /** A value and when it expires ({@link System#nanoTime}); updated in place when its key is stored again. */
  private static final class Entry {
    private String value;
    private long expiresAtNanos;
    private boolean expires;

    Entry(String value, long ttlNanos, long now) {
      set(value, ttlNanos, now);
    }

    void set(String value, long ttlNanos, long now) {
      this.value = value;
      this.expires = ttlNanos != Long.MAX_VALUE;
      this.expiresAtNanos = expires ? now + ttlNanos : 0;
    }

    boolean expired(long now) {
      return expires && now - expiresAtNanos >= 0;
    }
  }

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final Map<String, Entry> cache;
  private final long readTtlNanos;

  public InMemoryCacheFallback(int maxEntries, Duration readTtl) {
    this.readTtlNanos = readTtl.toNanos();
    this.cache = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > maxEntries;
      }
    };
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
        Entry entry = cache.get(key);
        if (entry != null && entry.expired(System.nanoTime())) {
          cache.remove(key);
          entry = null;
        }
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
        Entry removed = cache.remove(key);
        boolean held = removed != null && !removed.expired(System.nanoTime());
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
      case MeshAddress.REDIS_GET -> store(key, reply.getString(MeshField.VALUE), readTtlNanos);
      case MeshAddress.REDIS_SET ->
        remember(key, request.getString(MeshField.VALUE), request.getLong(MeshField.TTL_SECONDS));
      case MeshAddress.REDIS_DEL -> cache.remove(key);
      default -> {
      }
    }
  }

  /** Stores a SET's value; a TTL too long to hold in nanoseconds (the validator bounds it) never expires. */
  private void remember(String key, String value, Long ttlSeconds) {
    boolean expires = ttlSeconds != null && ttlSeconds < Long.MAX_VALUE / NANOS_PER_SECOND;
    store(key, value, expires ? ttlSeconds * NANOS_PER_SECOND : Long.MAX_VALUE);
  }

  private void store(String key, String value, long ttlNanos) {
    long now = System.nanoTime();
    Entry entry = cache.get(key);
    if (entry != null) {
      entry.set(value, ttlNanos, now);
    } else {
      cache.put(key, new Entry(value, ttlNanos, now));
    }
  }

  /** Entries held, expired ones not yet dropped included (for tests). */
  int size() {
    return cache.size();
  }
}
