package io.meshnode.postgres;

import io.meshnode.client.MeshClient;
import io.meshnode.contract.MeshFailure;
import io.meshnode.support.Rejection;
import io.meshnode.support.TcpProxy;
import io.meshnode.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PostgreSQL path on the machine's real PostgreSQL: reached through a TCP proxy the test can cut (a dead port),
 * and made slow with {@code pg_sleep} for the timeout path.
 */
@ExtendWith(VertxExtension.class)
class PostgresFallbackIT {

  private static final int POSTGRES_PORT = 5432;

  private final String kind = "it-" + UUID.randomUUID();
  private Vertx vertx;
  private TcpProxy proxy;
  private TestNode node;
  private MeshClient mesh;

  @BeforeEach
  void startNode(VertxTestContext test) {
    vertx = TestNode.newVertx();
    proxy = new TcpProxy(vertx, POSTGRES_PORT);
    proxy.open().compose(v -> TestNode.deploy(vertx, config -> {
      config.getJsonObject("postgres").put("port", proxy.port());
      config.getJsonObject("postgres").getJsonObject("statements")
        .put("slow_read", new JsonObject().put("mode", "read").put("sql", "SELECT $1::text AS tag FROM pg_sleep(3)"));
      config.getJsonObject("kafka").put("bootstrap_servers", TestNode.UNREACHABLE_KAFKA);
    })).onComplete(test.succeeding(deployed -> {
      node = deployed;
      mesh = MeshClient.create(vertx);
      test.completeNow();
    }));
  }

  @AfterEach
  void stopNode(VertxTestContext test) {
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  @Test
  void shouldRunNamedStatementsWithBoundParameters(VertxTestContext test) {
    String hostile = "x'); DROP TABLE mesh_events; --";
    mesh.postgres().query("insert_event", kind, hostile)
      .compose(insert -> {
        test.verify(() -> {
          assertThat(insert.fallback()).isFalse();
          assertThat(insert.body().getInteger("rowCount")).isEqualTo(1);
          assertThat(insert.body().getJsonArray("rows").getJsonObject(0).getLong("id")).isPositive();
        });
        return mesh.postgres().query("events_by_kind", kind, 10);
      })
      .onComplete(test.succeeding(read -> test.verify(() -> {
        assertThat(read.body().getBoolean("stale")).isFalse();
        assertThat(read.body().getJsonArray("rows").getJsonObject(0).getString("payload")).isEqualTo(hostile);
        test.completeNow();
      })));
  }

  @Test
  void shouldAnswerBadParametersAndUnknownStatementsWithoutRetryOrBreakerMove(VertxTestContext test) {
    Rejection.of(mesh.postgres().query("events_by_kind", kind, "not-a-number"))
      .compose(badType -> {
        test.verify(() -> assertThat(badType.failureCode()).isEqualTo(MeshFailure.BAD_REQUEST));
        return Rejection.of(mesh.postgres().query("events_by_kind", kind));
      })
      .compose(badCount -> {
        test.verify(() -> {
          assertThat(badCount.failureCode()).isEqualTo(MeshFailure.BAD_REQUEST);
          assertThat(badCount.getMessage()).contains("params").contains("2");
        });
        return Rejection.of(mesh.postgres().query("DROP TABLE mesh_events"));
      })
      .compose(unknown -> {
        test.verify(() -> assertThat(unknown.failureCode()).isEqualTo(MeshFailure.NOT_FOUND));
        return node.metrics();
      })
      .onComplete(test.succeeding(metrics -> test.verify(() -> {
        assertThat(TestNode.sample(metrics, "retry_attempts_total{operation=\"database_query\"}")).isZero();
        assertThat(TestNode.sample(metrics, "circuit_breaker_state{service=\"database\"}")).isZero();
        test.completeNow();
      })));
  }

  @Test
  void shouldAnswerReadsFromCachedResultsAndRefuseWritesWhenUnreachable(VertxTestContext test) {
    mesh.postgres().query("insert_event", kind, "payload")
      .compose(v -> mesh.postgres().query("events_by_kind", kind, 10))
      .compose(fresh -> proxy.cut().map(fresh))
      .compose(fresh -> mesh.postgres().query("events_by_kind", kind, 10).map(stale -> {
        test.verify(() -> {
          assertThat(stale.fallback()).isTrue();
          assertThat(stale.body().getBoolean("stale")).isTrue();
          assertThat(stale.body().getString("cachedAt")).isNotBlank();
          assertThat(stale.body().getJsonArray("rows")).isEqualTo(fresh.body().getJsonArray("rows"));
        });
        return stale;
      }))
      .compose(v -> Rejection.of(mesh.postgres().query("insert_event", kind, "lost?")))
      .compose(write -> {
        test.verify(() -> {
          assertThat(write.failureCode()).isEqualTo(MeshFailure.UNAVAILABLE);
          assertThat(write.getMessage()).contains("no fallback");
        });
        return Rejection.of(mesh.postgres().query("events_by_kind", "never-read-" + kind, 10));
      })
      .onComplete(test.succeeding(uncached -> test.verify(() -> {
        assertThat(uncached.failureCode()).isEqualTo(MeshFailure.UNAVAILABLE);
        test.completeNow();
      })));
  }

  @Test
  void shouldHonourACallersShorterDeadline(VertxTestContext test) {
    long start = System.nanoTime();
    Rejection.of(mesh.withTimeout(300).postgres().query("slow_read", "caller"))
      .onComplete(test.succeeding(timeout -> test.verify(() -> {
        assertThat(timeout.failureCode()).isEqualTo(MeshFailure.DEADLINE_EXCEEDED);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_500);
        test.completeNow();
      })));
  }

  @Test
  void shouldCutASlowQueryAtTheDeadlineAndCountTheTimeout(VertxTestContext test) {
    long start = System.nanoTime();
    Rejection.of(mesh.postgres().query("slow_read", "zzz"))
      .compose(timeout -> {
        test.verify(() -> {
          assertThat(timeout.failureCode()).isEqualTo(MeshFailure.DEADLINE_EXCEEDED);
          assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4_000);
        });
        return node.metrics();
      })
      .onComplete(test.succeeding(metrics -> test.verify(() -> {
        assertThat(TestNode.sample(metrics, "timeout_errors_total{operation=\"database_query\"}")).isEqualTo(1.0);
        test.completeNow();
      })));
  }
}
