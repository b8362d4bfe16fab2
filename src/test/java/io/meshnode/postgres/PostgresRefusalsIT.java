package io.meshnode.postgres;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshField;
import io.meshnode.support.RefusalDrill;
import io.meshnode.support.RefusalDrill.Refusal;
import io.meshnode.support.Rejection;
import io.meshnode.support.TcpProxy;
import io.meshnode.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.UUID;

/**
 * PostgreSQL's refusals of the data one caller sends (SQLSTATE classes 21, 22, 23 and P0, and parameters that do not
 * fit the statement's types) are answered 400 at once and never move the {@code database} breaker, while a stalled
 * connection's real failures open it at exactly its threshold: on the machine's PostgreSQL, behind a proxy the test
 * stalls.
 */
@ExtendWith(VertxExtension.class)
class PostgresRefusalsIT {

  private static final int FAILURE_THRESHOLD = 3;

  private final String run = UUID.randomUUID().toString().substring(0, 8).replace('-', '_');
  private final String parent = "mesh_refusal_parent_" + run;
  private final String child = "mesh_refusal_" + run;
  private final String raise = "mesh_refuse_" + run;
  private Vertx vertx;
  private Pool admin;
  private TcpProxy proxy;
  private TestNode node;

  @BeforeEach
  void startNode(VertxTestContext test) {
    vertx = TestNode.newVertx();
    admin = TestNode.adminPool(vertx);
    proxy = new TcpProxy(vertx, 5432);
    Future<Void> schema = Future.succeededFuture();
    for (String ddl : List.of(
      "CREATE TABLE " + parent + " (id int PRIMARY KEY)",
      "INSERT INTO " + parent + " VALUES (1), (2)",
      "CREATE TABLE " + child + " (id int PRIMARY KEY, code varchar(5) NOT NULL CHECK (code <> 'bad'), "
        + "parent int REFERENCES " + parent + "(id))",
      "INSERT INTO " + child + " VALUES (1, 'one', 1)",
      "CREATE FUNCTION " + raise + "(t text) RETURNS int AS $$ BEGIN RAISE EXCEPTION 'refused: %', t; END $$ "
        + "LANGUAGE plpgsql")) {
      schema = schema.compose(v -> admin.query(ddl).execute().mapEmpty());
    }
    schema.compose(v -> proxy.open())
      .compose(v -> TestNode.deploy(vertx, config -> {
        config.getJsonObject("postgres").put("port", proxy.port())
          .getJsonObject("statements")
          .put("refusal_insert", write("INSERT INTO " + child + " (id, code, parent) VALUES ($1, $2, $3)"))
          .put("refusal_divide", read("SELECT 10 / $1::int AS q"))
          .put("refusal_cast", read("SELECT $1::text::int AS n"))
          .put("refusal_date", read("SELECT $1::text::date AS d"))
          .put("refusal_overflow", read("SELECT $1::int * 1000000 AS n"))
          .put("refusal_single", read("SELECT (SELECT id FROM " + parent + ") AS id"))
          .put("refusal_raise", read("SELECT " + raise + "($1) AS r"));
        config.getJsonObject("kafka").put("bootstrap_servers", TestNode.UNREACHABLE_KAFKA);
        RefusalDrill.configure(config, "database", FAILURE_THRESHOLD);
      }))
      .onComplete(test.succeeding(deployed -> {
        node = deployed;
        test.completeNow();
      }));
  }

  @AfterEach
  void stopNode(VertxTestContext test) {
    proxy.resume();
    admin.query("DROP TABLE IF EXISTS " + child + ", " + parent + "; DROP FUNCTION IF EXISTS " + raise + "(text)")
      .execute()
      .eventually(admin::close)
      .onComplete(dropped -> vertx.close().onComplete(test.succeedingThenComplete()));
  }

  private static JsonObject read(String sql) {
    return new JsonObject().put("mode", "read").put("sql", sql);
  }

  private static JsonObject write(String sql) {
    return new JsonObject().put("mode", "write").put("sql", sql);
  }

  private static Refusal query(String kind, String statement, JsonArray params, String mentions) {
    return new Refusal(kind, MeshAddress.PG_QUERY,
      new JsonObject().put(MeshField.QUERY, statement).put(MeshField.PARAMS, params), mentions);
  }

  private static JsonArray params(Object... values) {
    JsonArray array = new JsonArray();
    for (Object value : values) {
      array.add(value);
    }
    return array;
  }

  @Test
  void shouldAnswerRefusalsAt400AndOpenTheBreakerOnlyOnRealFailures(VertxTestContext test) {
    List<Refusal> refusals = List.of(
      query("unique violation (23505)", "refusal_insert", params(1, "dup", 1), "duplicate key"),
      query("not null violation (23502)", "refusal_insert", params(2, null, 1), "null value"),
      query("check violation (23514)", "refusal_insert", params(3, "bad", 1), "check constraint"),
      query("foreign key violation (23503)", "refusal_insert", params(4, "fk", 999), "foreign key"),
      query("value too long (22001)", "refusal_insert", params(5, "toolong", 1), "too long"),
      query("division by zero (22012)", "refusal_divide", params(0), "division by zero"),
      query("invalid text representation (22P02)", "refusal_cast", params("abc"), "invalid input syntax"),
      query("invalid date (22008)", "refusal_date", params("2026-13-45"), "out of range"),
      query("integer out of range (22003)", "refusal_overflow", params(1_000_000), "out of range"),
      query("more than one row (21000)", "refusal_single", params(), "more than one row"),
      query("raised by a function (P0001)", "refusal_raise", params("no"), "refused: no"),
      query("a string for an integer parameter", "refusal_divide", params("ten"), "params[0]"),
      query("a fraction for an integer parameter", "refusal_divide", params(2.5), "params[0]"),
      new Refusal("a field the address does not define", MeshAddress.PG_QUERY, new JsonObject()
        .put(MeshField.QUERY, "refusal_divide").put(MeshField.PARAMS, params(1)).put("timeout", 5), "'timeout'"));
    new RefusalDrill(node, "database", FAILURE_THRESHOLD, this::stalledRead).run(refusals)
      .onComplete(test.succeedingThenComplete());
  }

  /** A read nothing cached, on a stalled connection: one attempt, cut by the deadline. */
  private Future<Void> stalledRead() {
    proxy.stall();
    return Rejection.of(vertx.eventBus().request(MeshAddress.PG_QUERY,
        new JsonObject().put(MeshField.QUERY, "refusal_divide").put(MeshField.PARAMS, params(5))))
      .eventually(() -> {
        proxy.resume();
        return Future.succeededFuture();
      })
      .mapEmpty();
  }
}
