package io.meshnode;

import io.meshnode.client.MeshClient;
import io.meshnode.contract.MeshFailure;
import io.meshnode.support.FreePort;
import io.meshnode.support.Poll;
import io.meshnode.support.Rejection;
import io.meshnode.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** A node whose three dependencies are all down from the start: it starts, says so, and its fallbacks serve. */
@ExtendWith(VertxExtension.class)
class DegradedStartIT {

  private Vertx vertx;
  private TestNode node;
  private MeshClient mesh;

  @BeforeEach
  void startNodeWithEveryDependencyDown(VertxTestContext test) {
    vertx = TestNode.newVertx();
    TestNode.deploy(vertx, config -> {
      config.getJsonObject("kafka").put("bootstrap_servers", "127.0.0.1:" + FreePort.find());
      config.getJsonObject("postgres").put("port", FreePort.find());
      config.getJsonObject("redis").put("url", "redis://127.0.0.1:" + FreePort.find());
    }).onComplete(test.succeeding(deployed -> {
      node = deployed;
      mesh = MeshClient.create(vertx).withTimeout(1_500);
      test.completeNow();
    }));
  }

  @AfterEach
  void stopNode(VertxTestContext test) {
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  @Test
  void shouldStartDegradedAndServeFromFallbacks(VertxTestContext test) {
    Poll.until(vertx, "every dependency reported unreachable", 10_000, () -> node.health().map(health ->
        health.getJsonObject("dependencies").size() == 3
          && health.getJsonObject("dependencies").stream()
          .noneMatch(e -> ((JsonObject) e.getValue()).getBoolean("reachable"))))
      .compose(v -> node.health())
      .compose(health -> {
        test.verify(() -> assertThat(health.getString("status")).isEqualTo("degraded"));
        return mesh.kafka().publish("events", "k", "kept on disk");
      })
      .compose(queued -> {
        test.verify(() -> {
          assertThat(queued.fallback()).isTrue();
          assertThat(queued.body().getString("status")).isEqualTo("queued");
        });
        return mesh.redis().set("degraded", "in memory");
      })
      .compose(memory -> {
        test.verify(() -> assertThat(memory.body().getBoolean("memoryOnly")).isTrue());
        return mesh.redis().get("degraded");
      })
      .compose(read -> {
        test.verify(() -> assertThat(read.body().getString("value")).isEqualTo("in memory"));
        return Rejection.of(mesh.postgres().query("count_events"));
      })
      .onComplete(test.succeeding(noCachedResult -> test.verify(() -> {
        assertThat(noCachedResult.failureCode()).isIn(MeshFailure.UNAVAILABLE, MeshFailure.DEADLINE_EXCEEDED);
        test.completeNow();
      })));
  }
}
