package io.meshnode.redis;

import io.meshnode.client.MeshClient;
import io.meshnode.client.MeshReply;
import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshFailure;
import io.meshnode.support.Poll;
import io.meshnode.support.Rejection;
import io.meshnode.support.TestNode;
import io.meshnode.support.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The Redis path on a real redis-server the test owns, stopped and restarted under the node. */
@ExtendWith(VertxExtension.class)
class RedisFallbackIT {

  private final TestRedis redis = new TestRedis();
  private final List<String> redisTransitions = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private TestNode node;
  private MeshClient mesh;

  @BeforeEach
  void startNode(VertxTestContext test) {
    redis.start();
    vertx = TestNode.newVertx();
    vertx.eventBus().<JsonObject>consumer(MeshAddress.EVENTS_BREAKER, msg -> {
      if ("redis".equals(msg.body().getString("service"))) {
        redisTransitions.add(msg.body().getString("state"));
      }
    });
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
    redis.stop();
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  @Test
  void shouldServeFromMemoryWhileRedisIsDownThenCloseTheBreakerWhenItReturns(VertxTestContext test) {
    mesh.redis().set("user:1", "alice", 60)
      .compose(set -> {
        test.verify(() -> assertThat(set.body().getBoolean("memoryOnly")).isFalse());
        return mesh.redis().get("user:1");
      })
      .compose(primary -> {
        test.verify(() -> assertThat(primary).isEqualTo(new MeshReply(
          new JsonObject().put("key", "user:1").put("value", "alice"), false, 1, primary.node())));
        return TestNode.blocking(vertx, redis::stop);
      })
      .compose(v -> mesh.redis().get("user:1"))
      .compose(fallback -> {
        test.verify(() -> {
          assertThat(fallback.fallback()).isTrue();
          assertThat(fallback.attempts()).isEqualTo(3);
          assertThat(fallback.body().getString("value")).isEqualTo("alice");
        });
        return Rejection.of(mesh.redis().get("user:unknown"));
      })
      .compose(miss -> {
        test.verify(() -> assertThat(miss.failureCode()).isEqualTo(MeshFailure.UNAVAILABLE));
        return mesh.redis().set("user:3", "carol");
      })
      .compose(memoryWrite -> {
        test.verify(() -> {
          assertThat(memoryWrite.fallback()).isTrue();
          assertThat(memoryWrite.attempts()).isZero();
          assertThat(memoryWrite.body().getBoolean("memoryOnly")).isTrue();
        });
        return node.health();
      })
      .compose(health -> {
        test.verify(() -> {
          assertThat(health.getString("status")).isEqualTo("degraded");
          assertThat(health.getJsonObject("circuit_breakers").getString("redis")).isEqualTo("open");
          assertThat(health.getJsonObject("circuit_breakers").getString("database")).isEqualTo("closed");
        });
        return node.metrics();
      })
      .compose(metrics -> {
        test.verify(() -> {
          assertThat(TestNode.sample(metrics, "circuit_breaker_state{service=\"redis\"}")).isEqualTo(2.0);
          assertThat(TestNode.sample(metrics, "retry_attempts_total{operation=\"cache_read\"}")).isEqualTo(2.0);
          assertThat(TestNode.sample(metrics, "fallback_invocations_total{operation=\"cache_read\"}")).isEqualTo(2.0);
          assertThat(TestNode.sample(metrics, "fallback_invocations_total{operation=\"cache_write\"}")).isEqualTo(1.0);
        });
        return TestNode.blocking(vertx, redis::start);
      })
      .compose(v -> Poll.until(vertx, "the redis breaker to close", 10_000, () ->
        mesh.redis().get("user:1").otherwiseEmpty().compose(r -> node.health())
          .map(health -> "closed".equals(health.getJsonObject("circuit_breakers").getString("redis")))))
      .compose(v -> mesh.redis().get("user:3"))
      .compose(afterRecovery -> {
        test.verify(() -> {
          assertThat(afterRecovery.fallback()).isFalse();
          assertThat(afterRecovery.body().getValue("value")).as("a memory-only write is never written back").isNull();
          assertThat(redisTransitions).containsExactly("open", "half_open", "closed");
        });
        return node.metrics();
      })
      .onComplete(test.succeeding(metrics -> test.verify(() -> {
        assertThat(TestNode.sample(metrics, "circuit_breaker_state{service=\"redis\"}")).isEqualTo(0.0);
        for (String state : List.of("open", "half_open", "closed")) {
          assertThat(TestNode.sample(metrics,
            "circuit_breaker_transitions_total{service=\"redis\",state=\"" + state + "\"}")).as(state).isEqualTo(1.0);
        }
        test.completeNow();
      })));
  }
}
