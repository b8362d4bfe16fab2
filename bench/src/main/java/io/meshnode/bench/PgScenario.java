package io.meshnode.bench;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshField;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * A named read statement, {@code bench_read: SELECT $1::int AS n} added to the node's statements by a config
 * override: {@code mesh.pg.query} vs the same prepared query on a direct pool of the node's size with
 * {@code cachePreparedStatements}, vs the raw hop.
 */
final class PgScenario {

  static final String STATEMENT = "bench_read";
  static final String SQL = "SELECT $1::int AS n";

  private PgScenario() {
  }

  static ScenarioReport run(BenchOptions options, String kafka, PrintStream progress) {
    try (MeshNode node = MeshNode.deploy(options, kafka, Set.of(), config -> config.getJsonObject("postgres")
      .getJsonObject("statements").put(STATEMENT, new JsonObject().put("mode", "read").put("sql", SQL)))) {
      JsonObject pg = node.config().getJsonObject("postgres");
      ClosedLoop loop = ClosedLoop.deployAwayFrom(node);
      NoOpBackend.deploy(node.vertx(), NoOpBackend.HOP_ADDRESS, new JsonObject()
        .put(MeshField.ROWS, new JsonArray().add(new JsonObject().put("n", 42))).put(MeshField.ROW_COUNT, 1)
        .put(MeshField.STALE, false));
      Pool direct = loop.onLoop("create the direct PostgreSQL pool", () -> {
        PgConnectOptions connect = new PgConnectOptions().setHost(pg.getString("host")).setPort(pg.getInteger("port"))
          .setDatabase(pg.getString("database")).setUser(pg.getString("user")).setCachePreparedStatements(true);
        if (pg.getString("password") != null) {
          connect.setPassword(pg.getString("password"));
        }
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(pg.getInteger("pool_size", 8))
            .setMaxWaitQueueSize(pg.getInteger("max_wait_queue", 4096)))
          .connectingTo(connect).using(node.vertx()).build();
        return pool.preparedQuery(SQL).execute(Tuple.of(42)).map(rows -> pool);
      });
      EventBus bus = node.vertx().eventBus();
      Variant mesh = new Variant("mesh", () -> bus.request(MeshAddress.PG_QUERY, request()));
      String placement = Placement.probe(node, loop, mesh);
      Measurements m = Rotation.measure(loop, List.of(mesh,
        new Variant("direct", () -> direct.preparedQuery(SQL).execute(Tuple.of(42))),
        new Variant("hop", () -> bus.request(NoOpBackend.HOP_ADDRESS, request()))), options, progress);
      Future<Void> closed = direct.close();
      Wait.on(closed, "close the direct pool");
      return ScenarioReport.of("pg", "named read statement " + SQL + " (" + options.inflight() + " in flight; "
          + "direct = prepared query on a pool of " + pg.getInteger("pool_size", 8) + ", cached statements)",
          m, "mesh", "direct", "hop")
        .note(placement)
        .note("target: mesh/F >= 0.9; 1 in flight: mesh p50 <= direct p50 + 1.2 x hop p50");
    }
  }

  private static JsonObject request() {
    return new JsonObject().put(MeshField.QUERY, STATEMENT).put(MeshField.PARAMS, new JsonArray().add(42));
  }
}
