package io.meshnode;

import io.meshnode.client.MeshClient;
import io.meshnode.client.MeshReply;
import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshFailure;
import io.meshnode.contract.MeshHeader;
import io.meshnode.support.PrometheusLint;
import io.meshnode.support.Rejection;
import io.meshnode.support.TestKafka;
import io.meshnode.support.TestNode;
import io.meshnode.support.TopicReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end: the shipped {@code conf/} and {@code verticles.json} deployed as the node deploys them, against the
 * real PostgreSQL, Redis and Kafka, driven through the typed client, raw bus messages and HTTP.
 */
@ExtendWith(VertxExtension.class)
class MeshNodeIT {

  private final String run = UUID.randomUUID().toString();
  private Vertx vertx;
  private TestNode node;
  private MeshClient mesh;
  private WebClient http;

  @BeforeEach
  void startNode(VertxTestContext test) {
    String kafka = TestKafka.bootstrapServers();
    vertx = TestNode.newVertx();
    http = WebClient.create(vertx);
    TestNode.deploy(vertx, config -> config.getJsonObject("kafka").put("bootstrap_servers", kafka))
      .onComplete(test.succeeding(deployed -> {
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
  @DisplayName("every public address answers from its dependency, with mesh-source and mesh-attempts")
  void shouldServeEveryPublicAddress(VertxTestContext test) {
    String topic = "events";
    mesh.redis().set("e2e:" + run, "v1", 30)
      .compose(set -> mesh.redis().get("e2e:" + run))
      .compose(get -> {
        test.verify(() -> {
          assertThat(get).isEqualTo(new MeshReply(
            new JsonObject().put("key", "e2e:" + run).put("value", "v1"), false, 1, get.node()));
          assertThat(get.node()).as("the answering node's id (mesh-node)").isNotBlank();
        });
        return mesh.redis().del("e2e:" + run);
      })
      .compose(del -> {
        test.verify(() -> assertThat(del.body().getBoolean("deleted")).isTrue());
        return mesh.postgres().query("insert_event", "e2e", run);
      })
      .compose(insert -> mesh.postgres().query("events_by_kind", "e2e", 5))
      .compose(rows -> {
        test.verify(() -> {
          assertThat(rows.fallback()).isFalse();
          assertThat(rows.body().getJsonArray("rows").getJsonObject(0).getString("payload")).isEqualTo(run);
        });
        return mesh.kafka().publish(topic, run, "{\"hello\":\"mesh\"}", new JsonObject().put("trace", run));
      })
      .compose(published -> {
        test.verify(() -> {
          assertThat(published.body().getString("status")).isEqualTo("published");
          assertThat(published.body().getString("topic")).isEqualTo(topic);
          assertThat(published.body().getLong("offset")).isNotNegative();
        });
        return vertx.executeBlocking(() -> TopicReader.read(TestKafka.bootstrapServers(), topic, Integer.MAX_VALUE,
          Duration.ofSeconds(3))).map(records -> {
            test.verify(() -> assertThat(records).filteredOn(r -> published.body().getString("id").equals(r.messageId()))
              .singleElement().satisfies(r -> {
                assertThat(r.value()).isEqualTo("{\"hello\":\"mesh\"}");
                assertThat(r.headers()).containsEntry("trace", run);
              }));
            return null;
          });
      })
      .onComplete(test.succeedingThenComplete());
  }

  @Test
  @DisplayName("publishes keep their order while a new topic's sends move from the producer's worker onto the loop")
  void shouldKeepThePublishOrderOfANewTopic(VertxTestContext test) {
    String topic = "order-" + run;
    int afterFirstAnswer = 300;
    List<Future<MeshReply>> replies = new ArrayList<>();
    int[] issuedAtFirstAnswer = {-1};
    // one publish per timer tick while the first ones wait for the new topic's metadata, then four per tick
    vertx.setPeriodic(5, timer -> {
      if (issuedAtFirstAnswer[0] < 0 && replies.stream().anyMatch(Future::isComplete)) {
        issuedAtFirstAnswer[0] = replies.size();
      }
      if (issuedAtFirstAnswer[0] < 0 || replies.size() < issuedAtFirstAnswer[0] + afterFirstAnswer) {
        for (int i = issuedAtFirstAnswer[0] < 0 ? 3 : 0; i < 4; i++) {
          replies.add(mesh.kafka().publish(topic, "one-key", Integer.toString(replies.size())));
        }
        return;
      }
      vertx.cancelTimer(timer);
      int total = replies.size();
      Future.all(replies)
        .compose(all -> vertx.executeBlocking(() ->
          TopicReader.read(TestKafka.bootstrapServers(), topic, total, Duration.ofSeconds(10))))
        .onComplete(test.succeeding(records -> test.verify(() -> {
          assertThat(replies).allSatisfy(reply ->
            assertThat(reply.result().body().getString("status")).isEqualTo("published"));
          assertThat(records).extracting(TopicReader.Read::value)
            .containsExactlyElementsOf(IntStream.range(0, total).mapToObj(Integer::toString).toList());
          test.completeNow();
        })));
    });
  }

  @Test
  @DisplayName("bad input gets a coded 400/404 naming the problem: no retry, no breaker move, nothing written")
  void shouldRejectBadInputWithCodes(VertxTestContext test) {
    List<Future<ReplyException>> rejections = List.of(
      Rejection.of(vertx.eventBus().request(MeshAddress.REDIS_GET, "not json")),
      Rejection.of(vertx.eventBus().request(MeshAddress.REDIS_SET, new JsonObject().put("key", "k"))),
      Rejection.of(vertx.eventBus().request(MeshAddress.REDIS_GET, new JsonObject().put("key", "a\r\nFLUSHALL"))),
      Rejection.of(vertx.eventBus().request(MeshAddress.KAFKA_PUBLISH, new JsonObject().put("topic", "bad topic!").put("value", "v"))),
      Rejection.of(vertx.eventBus().request(MeshAddress.KAFKA_PUBLISH, new JsonObject().put("topic", "events")
        .put("value", "x".repeat(1_048_577)))),
      Rejection.of(vertx.eventBus().request(MeshAddress.PG_QUERY, new JsonObject().put("query", "no_such_statement"))),
      Rejection.of(vertx.eventBus().request(MeshAddress.REDIS_GET, new JsonObject().put("key", "k"),
        new DeliveryOptions().addHeader(MeshHeader.TIMEOUT_MS, "-5"))));
    Future.all(rejections).compose(all -> {
      test.verify(() -> {
        assertThat(rejections).extracting(f -> f.result().failureCode()).containsExactly(
          MeshFailure.BAD_REQUEST, MeshFailure.BAD_REQUEST, MeshFailure.BAD_REQUEST, MeshFailure.BAD_REQUEST,
          MeshFailure.BAD_REQUEST, MeshFailure.NOT_FOUND, MeshFailure.BAD_REQUEST);
        assertThat(rejections.get(0).result().getMessage()).contains("body");
        assertThat(rejections.get(1).result().getMessage()).contains("value");
        assertThat(rejections.get(4).result().getMessage()).contains("1048576");
        assertThat(rejections.get(6).result().getMessage()).contains("mesh-timeout-ms");
      });
      return node.metrics();
    }).onComplete(test.succeeding(metrics -> test.verify(() -> {
      for (String operation : List.of("cache_read", "cache_write", "kafka_publish", "database_query")) {
        assertThat(TestNode.sample(metrics, "retry_attempts_total{operation=\"" + operation + "\"}")).isZero();
      }
      for (String service : List.of("redis", "kafka_producer", "database")) {
        assertThat(TestNode.sample(metrics, "circuit_breaker_state{service=\"" + service + "\"}")).isZero();
      }
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("/health, /health/live, /health/ready and /metrics, which passes promtool check metrics")
  void shouldServeHealthAndMetrics(VertxTestContext test) {
    io.meshnode.support.Poll.until(vertx, "every dependency probed", 5_000, () -> node.health()
        .map(health -> health.getJsonObject("dependencies").size() == 3))
      .compose(v -> http.get(node.httpPort(), "127.0.0.1", "/health").send())
      .compose(health -> {
        test.verify(() -> {
          assertThat(health.statusCode()).isEqualTo(200);
          JsonObject body = health.bodyAsJsonObject();
          assertThat(body.getString("status")).isEqualTo("healthy");
          assertThat(body.getJsonObject("circuit_breakers")).isEqualTo(new JsonObject()
            .put("database", "closed").put("kafka_producer", "closed").put("redis", "closed"));
          assertThat(body.getJsonObject("dependencies").fieldNames()).containsExactlyInAnyOrder("kafka", "postgres", "redis");
          assertThat(body.getJsonObject("queue").getLong("depth")).isZero();
        });
        return http.get(node.httpPort(), "127.0.0.1", "/health/live").send();
      })
      .compose(live -> {
        test.verify(() -> assertThat(live.statusCode()).isEqualTo(200));
        return http.get(node.httpPort(), "127.0.0.1", "/health/ready").send();
      })
      .compose(ready -> {
        test.verify(() -> assertThat(ready.statusCode()).isEqualTo(200));
        return node.metrics();
      })
      .compose(metrics -> vertx.executeBlocking(() -> {
        test.verify(() -> {
          for (String series : List.of("circuit_breaker_state{service=\"redis\"}",
            "retry_attempts_total{operation=\"kafka_publish\"}", "timeout_errors_total{operation=\"database_query\"}",
            "fallback_invocations_total{operation=\"cache_read\"}")) {
            assertThat(TestNode.sample(metrics, series)).as(series).isZero();
          }
          assertThat(metrics).contains("vertx_http_server_").contains("jvm_memory_used_bytes");
          assertThat(PrometheusLint.problems(metrics)).isEmpty();
        });
        return null;
      }))
      .onComplete(test.succeedingThenComplete());
  }
}
