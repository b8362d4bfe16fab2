package io.meshnode.bench;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshField;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * A named read statement, {@code bench_read: SELECT $1::int AS n} added to the node's statements by a config
 * override: {@code mesh.pg.query} vs the same prepared query on a direct client configured like the node's (its
 * {@code pool_size} connections, {@code pipelining_limit} statements in flight on each, {@code cachePreparedStatements}),
 * vs the same on a plain pool of that size (no pipelining: the baseline before the node pipelined), vs the raw hop,
 * vs the one-hop floor measured ({@link OneHopBackend}).
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
      int poolSize = pg.getInteger("pool_size", 8);
      int pipelining = pg.getInteger("pipelining_limit", 8);
      SqlClient direct = loop.onLoop("create the direct PostgreSQL client", () ->
        warm(PgBuilder.client().with(poolOptions(poolSize, pg)).connectingTo(connectOptions(pg).setPipeliningLimit(pipelining))
          .using(node.vertx()).build()));
      SqlClient pooled = loop.onLoop("create the direct PostgreSQL pool", () ->
        warm(PgBuilder.pool().with(poolOptions(poolSize, pg)).connectingTo(connectOptions(pg)).using(node.vertx()).build()));
      OneHopBackend.deployAwayFrom(node.vertx(), loop, () -> {
        SqlClient client = PgBuilder.client().with(poolOptions(poolSize, pg))
          .connectingTo(connectOptions(pg).setPipeliningLimit(pipelining)).using(node.vertx()).build();
        return warm(client).map(ready -> request -> client.preparedQuery(SQL)
          .execute(Tuple.from(request.getJsonArray(MeshField.PARAMS).getList())).map(PgScenario::rowsReply));
      });
      EventBus bus = node.vertx().eventBus();
      Variant mesh = new Variant("mesh", () -> bus.request(MeshAddress.PG_QUERY, request()));
      String placement = Placement.probe(node, loop, mesh);
      Measurements m = Rotation.measure(loop, List.of(mesh,
        new Variant("direct", () -> direct.preparedQuery(SQL).execute(Tuple.of(42))),
        new Variant("pooled", () -> pooled.preparedQuery(SQL).execute(Tuple.of(42))),
        new Variant("hop", () -> bus.request(NoOpBackend.HOP_ADDRESS, request())),
        new Variant(Report.ONE_HOP, () -> bus.request(OneHopBackend.ADDRESS, request()))), options, progress);
      Wait.on(Future.join(direct.close(), pooled.close()), "close the direct clients");
      return ScenarioReport.of("pg", "named read statement " + SQL + " (" + options.inflight() + " in flight; "
          + "direct = prepared query on a client like the node's: " + poolSize + " connections pipelining up to "
          + pipelining + " statements each, cached statements; pooled = the same on a plain pool of " + poolSize + ")",
          m, "mesh", "direct", "hop")
        .note(placement)
        .note(String.format("mesh / pooled = %.2f (vs a plain pool of the same size, no pipelining)",
          Report.median(m.loaded("mesh"), Sample::opsPerSecond)
            / Report.median(m.loaded("pooled"), Sample::opsPerSecond)))
        .note("target: mesh/F >= 0.9; 1 in flight: mesh p50 <= direct p50 + 1.2 x hop p50");
    }
  }

  private static PoolOptions poolOptions(int poolSize, JsonObject pg) {
    return new PoolOptions().setMaxSize(poolSize)
      .setMaxWaitQueueSize(pg.getInteger("max_wait_queue", 4096));
  }

  private static PgConnectOptions connectOptions(JsonObject pg) {
    PgConnectOptions connect = new PgConnectOptions().setHost(pg.getString("host")).setPort(pg.getInteger("port"))
      .setDatabase(pg.getString("database")).setUser(pg.getString("user")).setCachePreparedStatements(true);
    if (pg.getString("password") != null) {
      connect.setPassword(pg.getString("password"));
    }
    return connect;
  }

  /** The client once it has prepared the statement. */
  private static Future<SqlClient> warm(SqlClient client) {
    return client.preparedQuery(SQL).execute(Tuple.of(42)).map(rows -> client);
  }

  /** The PostgreSQL verticle's reply shape. */
  private static JsonObject rowsReply(RowSet<Row> rows) {
    JsonArray out = new JsonArray();
    rows.forEach(row -> out.add(row.toJson()));
    return new JsonObject().put(MeshField.ROWS, out).put(MeshField.ROW_COUNT, rows.rowCount())
      .put(MeshField.STALE, false);
  }

  private static JsonObject request() {
    return new JsonObject().put(MeshField.QUERY, STATEMENT).put(MeshField.PARAMS, new JsonArray().add(42));
  }
}
