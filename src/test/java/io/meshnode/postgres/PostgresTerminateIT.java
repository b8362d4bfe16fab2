package io.meshnode.postgres;

import io.meshnode.client.MeshClient;
import io.meshnode.client.MeshReply;
import io.meshnode.support.Poll;
import io.meshnode.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node's PostgreSQL sessions terminated mid-load ({@code pg_terminate_backend}): every request is answered —
 * served, stale from the cache, or a coded failure — and the pool reconnects by itself.
 */
@ExtendWith(VertxExtension.class)
class PostgresTerminateIT {

  private static final int WAVES = 6;
  private static final int PER_WAVE = 30;

  private final String applicationName = "mesh-it-" + UUID.randomUUID().toString().substring(0, 8);
  private Vertx vertx;
  private MeshClient mesh;
  private Pool admin;

  @BeforeEach
  void startNode(VertxTestContext test) {
    vertx = TestNode.newVertx();
    admin = TestNode.adminPool(vertx);
    TestNode.deploy(vertx, config -> {
      config.getJsonObject("postgres").put("application_name", applicationName);
      config.getJsonObject("kafka").put("bootstrap_servers", TestNode.UNREACHABLE_KAFKA);
    }).onComplete(test.succeeding(node -> {
      mesh = MeshClient.create(vertx);
      test.completeNow();
    }));
  }

  @AfterEach
  void stopNode(VertxTestContext test) {
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  private Future<Integer> terminateNodeSessions() {
    return admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
      + applicationName + "'").execute().map(rows -> rows.rowCount());
  }

  private Future<List<Object>> wave() {
    List<Future<Object>> answers = new ArrayList<>();
    for (int i = 0; i < PER_WAVE; i++) {
      answers.add(mesh.postgres().query("server_time").<Object>map(reply -> reply)
        .recover(failure -> Future.succeededFuture(failure)));
    }
    return Future.all(answers).map(all -> all.list());
  }

  @Test
  void shouldAnswerEveryRequestWhileSessionsAreTerminated(VertxTestContext test) {
    List<Object> answers = new ArrayList<>();
    List<Integer> terminated = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int w = 0; w < WAVES; w++) {
      chain = chain.compose(v -> {
        Future<List<Object>> wave = wave();
        return terminateNodeSessions().andThen(ar -> terminated.add(ar.succeeded() ? ar.result() : -1))
          .compose(n -> wave).map(list -> {
            answers.addAll(list);
            return null;
          });
      });
    }
    // the dropped sessions fail the requests in flight together: enough to open the breaker, which then fails fast
    // (answered by cached results) for its timeout, and closes again after its probes succeed on new sessions
    chain.compose(v -> Poll.until(vertx, "a primary answer after the terminations", 10_000, () ->
        mesh.postgres().query("server_time").map(reply -> !reply.fallback())))
      .compose(v -> mesh.postgres().query("server_time"))
      .onComplete(test.succeeding(after -> test.verify(() -> {
        assertThat(answers).hasSize(WAVES * PER_WAVE);
        assertThat(answers).allMatch(a -> a instanceof MeshReply || a instanceof ReplyException);
        assertThat(answers).filteredOn(a -> a instanceof ReplyException)
          .allMatch(a -> ((ReplyException) a).failureCode() == 503 || ((ReplyException) a).failureCode() == 504);
        assertThat(terminated.stream().mapToInt(Integer::intValue).sum()).as("sessions terminated").isPositive();
        assertThat(after.fallback()).isFalse();
        test.completeNow();
      })));
  }
}
