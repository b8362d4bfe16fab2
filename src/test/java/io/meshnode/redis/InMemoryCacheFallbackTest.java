package io.meshnode.redis;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshFailure;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory cache that answers Redis reads and writes while Redis is down. */
class InMemoryCacheFallbackTest {

  private static final RuntimeException DOWN = new RuntimeException("redis down");

  private static JsonObject key(String key) {
    return new JsonObject().put("key", key);
  }

  private static JsonObject read(InMemoryCacheFallback cache, String key) {
    return cache.apply(MeshAddress.REDIS_GET, key(key), DOWN).result();
  }

  @Test
  @DisplayName("a read is answered with the last good value of the key")
  void shouldServeTheLastGoodValue() {
    InMemoryCacheFallback cache = new InMemoryCacheFallback(10, Duration.ofMinutes(5));
    cache.onPrimarySuccess(MeshAddress.REDIS_GET, key("k"), key("k").put("value", "v1"));
    cache.onPrimarySuccess(MeshAddress.REDIS_GET, key("k"), key("k").put("value", "v2"));
    assertThat(read(cache, "k")).isEqualTo(key("k").put("value", "v2"));
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  @DisplayName("a key not held, deleted, or whose read TTL passed is answered 503")
  void shouldFailForKeysNotHeld() {
    InMemoryCacheFallback expiring = new InMemoryCacheFallback(10, Duration.ZERO);
    expiring.onPrimarySuccess(MeshAddress.REDIS_GET, key("k"), key("k").put("value", "v"));
    InMemoryCacheFallback cache = new InMemoryCacheFallback(10, Duration.ofMinutes(5));
    cache.onPrimarySuccess(MeshAddress.REDIS_GET, key("gone"), key("gone").put("value", "v"));
    cache.onPrimarySuccess(MeshAddress.REDIS_DEL, key("gone"), key("gone").put("deleted", true));
    assertThat(expiring.apply(MeshAddress.REDIS_GET, key("k"), DOWN).cause())
      .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(MeshFailure.UNAVAILABLE));
    assertThat(expiring.size()).isZero();
    assertThat(cache.apply(MeshAddress.REDIS_GET, key("gone"), DOWN).failed()).isTrue();
    assertThat(cache.apply(MeshAddress.REDIS_GET, key("never"), DOWN).failed()).isTrue();
  }

  @Test
  @DisplayName("a write without TTL outlives the read TTL; a write served by the cache is memory-only")
  void shouldKeepWritesWithoutTtl() {
    InMemoryCacheFallback cache = new InMemoryCacheFallback(10, Duration.ZERO);
    cache.onPrimarySuccess(MeshAddress.REDIS_SET, key("k").put("value", "w"), key("k").put("stored", true));
    assertThat(read(cache, "k").getString("value")).isEqualTo("w");
    JsonObject stored = cache.apply(MeshAddress.REDIS_SET, key("m").put("value", "x"), DOWN).result();
    assertThat(stored.getBoolean("memoryOnly")).isTrue();
    assertThat(read(cache, "m").getString("value")).isEqualTo("x");
  }

  @Test
  @DisplayName("beyond max_entries the least recently used key is evicted")
  void shouldEvictTheLeastRecentlyUsed() {
    InMemoryCacheFallback cache = new InMemoryCacheFallback(2, Duration.ofMinutes(5));
    cache.onPrimarySuccess(MeshAddress.REDIS_GET, key("a"), key("a").put("value", "1"));
    cache.onPrimarySuccess(MeshAddress.REDIS_GET, key("b"), key("b").put("value", "2"));
    read(cache, "a");
    cache.onPrimarySuccess(MeshAddress.REDIS_GET, key("c"), key("c").put("value", "3"));
    assertThat(cache.size()).isEqualTo(2);
    assertThat(read(cache, "a").getString("value")).isEqualTo("1");
    assertThat(cache.apply(MeshAddress.REDIS_GET, key("b"), DOWN).failed()).isTrue();
  }
}
