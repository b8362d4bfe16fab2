package io.meshnode.postgres;

import io.meshnode.contract.MeshAddress;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The last good result per statement and parameters, served stale while PostgreSQL is down. */
class CachedResultsFallbackTest {

  private static final RuntimeException DOWN = new RuntimeException("postgresql down");
  private static final StatementCatalog STATEMENTS = StatementCatalog.fromJson(new JsonObject().put("statements",
    new JsonObject()
      .put("by_kind", new JsonObject().put("mode", "read").put("sql", "SELECT $1::text AS k"))
      .put("insert", new JsonObject().put("mode", "write").put("sql", "INSERT INTO t VALUES ($1)"))));

  private static JsonObject request(String query, Object... params) {
    return new JsonObject().put("query", query).put("params", new JsonArray(java.util.List.of(params)));
  }

  private static JsonObject rows(String value) {
    return new JsonObject().put("rows", new JsonArray().add(new JsonObject().put("k", value))).put("rowCount", 1)
      .put("stale", false);
  }

  @Test
  @DisplayName("a read is answered with the last good result for the same parameters, stale, with its time")
  void shouldServeTheLastGoodResultForTheSameParameters() {
    CachedResultsFallback cache = new CachedResultsFallback(STATEMENTS, 10);
    Instant before = Instant.now().minusMillis(1);
    cache.onPrimarySuccess(MeshAddress.PG_QUERY, request("by_kind", "a", 1), rows("old"));
    cache.onPrimarySuccess(MeshAddress.PG_QUERY, request("by_kind", "a", 1), rows("new"));
    cache.onPrimarySuccess(MeshAddress.PG_QUERY, request("by_kind", "b", 1), rows("other"));
    JsonObject stale = cache.apply(MeshAddress.PG_QUERY, request("by_kind", "a", 1), DOWN).result();
    assertThat(stale.getJsonArray("rows")).isEqualTo(rows("new").getJsonArray("rows"));
    assertThat(stale.getBoolean("stale")).isTrue();
    assertThat(Instant.parse(stale.getString("cachedAt"))).isBetween(before, Instant.now());
    assertThat(cache.apply(MeshAddress.PG_QUERY, request("by_kind", "c", 1), DOWN).failed()).isTrue();
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  @DisplayName("writes are never cached nor answered; beyond max_entries the least recently used result goes")
  void shouldNotCacheWritesAndStayBounded() {
    CachedResultsFallback cache = new CachedResultsFallback(STATEMENTS, 2);
    cache.onPrimarySuccess(MeshAddress.PG_QUERY, request("insert", "x"), rows("1"));
    assertThat(cache.apply(MeshAddress.PG_QUERY, request("insert", "x"), DOWN).failed()).isTrue();
    for (String kind : new String[] {"a", "b", "c"}) {
      cache.onPrimarySuccess(MeshAddress.PG_QUERY, request("by_kind", kind), rows(kind));
    }
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.apply(MeshAddress.PG_QUERY, request("by_kind", "a"), DOWN).failed()).isTrue();
    assertThat(cache.apply(MeshAddress.PG_QUERY, request("by_kind", "c"), DOWN).succeeded()).isTrue();
  }
}
