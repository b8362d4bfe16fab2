package io.meshnode.postgres;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshFailure;
import io.meshnode.contract.MeshField;
import io.meshnode.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With every place of the client taken (one connection, no pipelining), a statement that waits longer than
 * {@code connection_timeout_ms} fails with 503 and is never run, even once a place frees; the next one runs.
 * Sent to the PostgreSQL verticle's internal address, so no retry or deadline of the resilience layer is involved.
 */
@ExtendWith(VertxExtension.class)
class PostgresWaitBoundIT {

  private static final int MAX_WAIT_MILLIS = 300;
  private static final double SLOW_SECONDS = 1.5;
  private static final String TABLE = "mesh_it_wait_bound";

  private final String tag = "wait-" + UUID.randomUUID();
  private Vertx vertx;
  private Pool admin;

  @BeforeEach
  void startNode(VertxTestContext test) {
    vertx = TestNode.newVertx();
    admin = TestNode.adminPool(vertx);
    admin.query("CREATE TABLE IF NOT EXISTS " + TABLE + " (tag text NOT NULL)").execute()
      .compose(created -> TestNode.deploy(vertx, config -> {
        config.getJsonObject("kafka").put("bootstrap_servers", TestNode.UNREACHABLE_KAFKA);
        config.getJsonObject("postgres").put("pool_size", 1).put("pipelining_limit", 1)
          .put("connection_timeout_ms", MAX_WAIT_MILLIS)
          .getJsonObject("statements")
          .put("it_slow", new JsonObject().put("mode", "read").put("sql", "SELECT 1 AS done FROM pg_sleep($1::float8)"))
          .put("it_mark", new JsonObject().put("mode", "write")
            .put("sql", "INSERT INTO " + TABLE + " (tag) VALUES ($1)"));
      }))
      .onComplete(test.succeedingThenComplete());
  }

  @AfterEach
  void stopNode(VertxTestContext test) {
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  private Future<JsonObject> statement(String name, Object param) {
    return vertx.eventBus().<JsonObject>request(MeshAddress.INTERNAL_PG_QUERY,
        new JsonObject().put(MeshField.QUERY, name).put(MeshField.PARAMS, new JsonArray().add(param)),
        new DeliveryOptions().setSendTimeout(10_000))
      .map(reply -> reply.body());
  }

  private Future<Long> marked(String which) {
    return admin.preparedQuery("SELECT count(*) FROM " + TABLE + " WHERE tag = $1").execute(Tuple.of(which))
      .map(rows -> rows.iterator().next().getLong(0));
  }

  @Test
  @DisplayName("a statement held past connection_timeout_ms fails with 503 before the place frees, and never runs")
  void shouldFailAStatementHeldTooLongWithoutRunningIt(VertxTestContext test) {
    Future<JsonObject> slow = statement("it_slow", SLOW_SECONDS);
    long heldAt = System.nanoTime();
    Future<JsonObject> held = statement("it_mark", tag);

    held.transform(ar -> Future.succeededFuture(ar))
      .compose(outcome -> {
        long waitedMillis = (System.nanoTime() - heldAt) / 1_000_000;
        test.verify(() -> {
          assertThat(outcome.failed()).as("the held statement's answer").isTrue();
          ReplyException failure = (ReplyException) outcome.cause();
          assertThat(failure.failureCode()).isEqualTo(MeshFailure.UNAVAILABLE);
          assertThat(failure.getMessage()).contains("no connection within " + MAX_WAIT_MILLIS + " ms");
          assertThat(waitedMillis).as("answered before the slow statement freed the place")
            .isGreaterThanOrEqualTo(MAX_WAIT_MILLIS).isLessThan((long) (SLOW_SECONDS * 1000));
        });
        return slow;
      })
      .compose(done -> statement("it_mark", tag + "-after"))
      .compose(after -> Future.all(marked(tag), marked(tag + "-after")))
      .compose(counts -> {
        test.verify(() -> {
          assertThat((Long) counts.resultAt(0)).as("rows of the statement that failed waiting").isZero();
          assertThat((Long) counts.resultAt(1)).as("rows of the statement sent once the place was free").isEqualTo(1);
        });
        return admin.preparedQuery("DELETE FROM " + TABLE + " WHERE tag LIKE $1").execute(Tuple.of(tag + "%"));
      })
      .onComplete(test.succeedingThenComplete());
  }
}
