package io.meshnode.redis;

import io.meshnode.client.MeshClient;
import io.meshnode.client.MeshReply;
import io.meshnode.contract.MeshFailure;
import io.meshnode.support.Poll;
import io.meshnode.support.TestNode;
import io.meshnode.support.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The timeout path on a real, frozen Redis (SIGSTOP): connections stay open and nothing answers. Every request is
 * still answered within its deadline — by the in-memory cache or a coded 504 — and the node recovers after SIGCONT.
 */
@ExtendWith(VertxExtension.class)
class RedisFreezeIT {

  private static final int REQUESTS = 40;
  private static final long DEADLINE_MILLIS = 1_000;

  private final TestRedis redis = new TestRedis();
  private Vertx vertx;
  private TestNode node;
  private MeshClient mesh;

  @BeforeEach
  void startNode(VertxTestContext test) {
    redis.start();
    vertx = TestNode.newVertx();
    TestNode.deploy(vertx, config -> {
      redis.configure(config);
      config.getJsonObject("kafka").put("bootstrap_servers", TestNode.UNREACHABLE_KAFKA);
    }).onComplete(test.succeeding(deployed -> {
      node = deployed;
      mesh = MeshClient.create(vertx);
      test.completeNow();
    }));
  }

  @AfterEach
  void stopNode(VertxTestContext test) {
    redis.thaw();
    redis.stop();
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  @Test
  void shouldAnswerEveryRequestWithinItsDeadlineWhileRedisIsFrozen(VertxTestContext test) {
    List<Long> latencies = new ArrayList<>();
    mesh.redis().set("frozen:cached", "warm")
      .compose(v -> TestNode.blocking(vertx, redis::freeze))
      .compose(v -> {
        List<Future<Object>> answers = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
          long start = System.nanoTime();
          String key = i % 2 == 0 ? "frozen:cached" : "frozen:cold-" + i;
          answers.add(mesh.redis().get(key).<Object>map(reply -> reply)
            .recover(failure -> Future.succeededFuture(failure))
            .andThen(ar -> latencies.add((System.nanoTime() - start) / 1_000_000)));
        }
        return Future.all(answers).map(all -> all.<Object>list());
      })
      .compose(answers -> {
        test.verify(() -> {
          assertThat(answers).hasSize(REQUESTS);
          for (int i = 0; i < REQUESTS; i++) {
            Object answer = answers.get(i);
            if (i % 2 == 0) {
              assertThat(answer).isInstanceOf(MeshReply.class);
              assertThat(((MeshReply) answer).body().getString("value")).isEqualTo("warm");
            } else {
              assertThat(answer).isInstanceOf(io.vertx.core.eventbus.ReplyException.class);
              assertThat(((io.vertx.core.eventbus.ReplyException) answer).failureCode())
                .isIn(MeshFailure.DEADLINE_EXCEEDED, MeshFailure.UNAVAILABLE);
            }
          }
          // the deadline (1 s) plus scheduling slack: nothing hangs with the server
          assertThat(latencies).allMatch(ms -> ms < DEADLINE_MILLIS + 500);
        });
        return node.metrics();
      })
      .compose(metrics -> {
        test.verify(() -> assertThat(TestNode.sample(metrics, "timeout_errors_total{operation=\"cache_read\"}"))
          .isPositive());
        return TestNode.blocking(vertx, redis::thaw);
      })
      .compose(v -> Poll.until(vertx, "the redis breaker to close after SIGCONT", 10_000, () ->
        mesh.redis().get("frozen:cached").otherwiseEmpty().compose(r -> node.health())
          .map(health -> "closed".equals(health.getJsonObject("circuit_breakers").getString("redis")))))
      .compose(v -> mesh.redis().get("frozen:cold-1"))
      .onComplete(test.succeeding(recovered -> test.verify(() -> {
        assertThat(recovered.fallback()).isFalse();
        assertThat(recovered.body().getValue("value")).isNull();
        test.completeNow();
      })));
  }
}
