package io.meshnode.kafka;

import io.meshnode.client.MeshClient;
import io.meshnode.client.MeshReply;
import io.meshnode.support.Poll;
import io.meshnode.support.TestKafka;
import io.meshnode.support.TestNode;
import io.meshnode.support.TopicReader;
import io.meshnode.tools.LocalKafkaBroker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka path on a real broker the test owns: stopped under load so that publishes are answered {@code queued}
 * from the durable queue, then restarted so the queue replays; every message is then read back by a consumer.
 */
@ExtendWith(VertxExtension.class)
class KafkaFallbackIT {

  private static final int QUEUED = 20;

  private final LocalKafkaBroker broker = TestKafka.ownBroker();
  private final String topic = "orders";
  private Path queueFile;
  private Vertx vertx;
  private TestNode node;
  private MeshClient mesh;

  @BeforeEach
  void startBrokerAndNode(VertxTestContext test) throws Exception {
    broker.start();
    queueFile = Files.createTempDirectory("kafka-fallback-it").resolve("queue.db");
    deployNode().onComplete(test.succeedingThenComplete());
  }

  private Future<TestNode> deployNode() {
    vertx = TestNode.newVertx();
    mesh = MeshClient.create(vertx);
    return TestNode.deploy(vertx, config -> config.getJsonObject("kafka")
        .put("bootstrap_servers", broker.bootstrapServers())
        .put("queue_path", queueFile.toString()))
      .onSuccess(deployed -> node = deployed);
  }

  @AfterEach
  void stopAll(VertxTestContext test) {
    vertx.close().onComplete(ar -> {
      broker.stop();
      test.completeNow();
    });
  }

  private Future<List<MeshReply>> publishMany(String prefix) {
    List<Future<MeshReply>> replies = new ArrayList<>();
    for (int i = 0; i < QUEUED; i++) {
      replies.add(mesh.kafka().publish(topic, prefix + i, "{\"n\":" + i + "}"));
    }
    return Future.all(replies).map(all -> all.list());
  }

  private Future<Long> queueDepth() {
    return node.health().map(health -> health.getJsonObject("queue").getLong("depth", -1L));
  }

  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void shouldQueueWhileTheBrokerIsDownAndReplayEveryMessageWhenItReturns(VertxTestContext test) {
    List<String> ids = new ArrayList<>();
    mesh.kafka().publish(topic, "first", "hello", new JsonObject().put("origin", "it"))
      .compose(published -> {
        test.verify(() -> {
          assertThat(published.fallback()).isFalse();
          assertThat(published.body().getString("status")).isEqualTo("published");
          assertThat(published.body().getLong("offset")).isZero();
        });
        ids.add(published.body().getString("id"));
        return TestNode.blocking(vertx, broker::stop);
      })
      .compose(v -> publishMany("queued-"))
      .compose(replies -> {
        test.verify(() -> replies.forEach(reply -> {
          assertThat(reply.fallback()).isTrue();
          assertThat(reply.body().getString("status")).isEqualTo("queued");
        }));
        replies.forEach(reply -> ids.add(reply.body().getString("id")));
        return Poll.until(vertx, "queue depth " + QUEUED + " in /health", 5_000,
          () -> queueDepth().map(depth -> depth == QUEUED));
      })
      .compose(v -> node.health())
      .compose(health -> {
        test.verify(() -> {
          assertThat(health.getString("status")).isEqualTo("degraded");
          assertThat(health.getJsonObject("circuit_breakers").getString("kafka_producer")).isEqualTo("open");
        });
        return TestNode.blocking(vertx, broker::start);
      })
      .compose(v -> Poll.until(vertx, "the queue to drain", 30_000, () -> queueDepth().map(depth -> depth == 0)))
      .compose(v -> vertx.executeBlocking(() ->
        TopicReader.readUntil(broker.bootstrapServers(), topic, everyId(ids), Duration.ofSeconds(20))))
      .onComplete(test.succeeding(records -> test.verify(() -> {
        // at least once: a replayed send whose acknowledgement came late may be in the topic twice, same id
        assertThat(records).extracting(TopicReader.Read::messageId).hasSameElementsAs(ids);
        assertThat(records.get(0).key()).isEqualTo("first");
        test.completeNow();
      })));
  }

  @Test
  void shouldReplayQueuedMessagesInOrderAfterTheNodeRestarts() throws Exception {
    // driven from the test thread: the first node's Vert.x is closed half-way, so no Vert.x chain spans the restart
    List<String> ids = new ArrayList<>();
    ids.add(mesh.kafka().publish(topic, "warm", "metadata").await(30, TimeUnit.SECONDS).body().getString("id"));
    broker.stop();
    publishSequentially("restart-", ids).await(60, TimeUnit.SECONDS);
    Poll.until(vertx, "queue depth " + QUEUED, 5_000, () -> queueDepth().map(depth -> depth == QUEUED))
      .await(10, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);

    broker.start();
    deployNode().await(30, TimeUnit.SECONDS);
    Poll.until(vertx, "the queue to drain", 30_000, () -> queueDepth().map(depth -> depth == 0))
      .await(35, TimeUnit.SECONDS);

    List<TopicReader.Read> records =
      TopicReader.readUntil(broker.bootstrapServers(), topic, everyId(ids), Duration.ofSeconds(20));
    assertThat(records.stream().map(TopicReader.Read::messageId).distinct().toList())
      .as("each message once in queue order (a duplicate of the same id may follow a late acknowledgement)")
      .containsExactlyElementsOf(ids);
  }

  private static Predicate<List<TopicReader.Read>> everyId(List<String> ids) {
    return records -> records.stream().map(TopicReader.Read::messageId).collect(Collectors.toSet()).containsAll(ids);
  }

  /** Publishes one after the other, so that the queue's order is the order of the calls. */
  private Future<Void> publishSequentially(String prefix, List<String> ids) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < QUEUED; i++) {
      String key = prefix + i;
      chain = chain.compose(v -> mesh.kafka().publish(topic, key, key).map(reply -> {
        ids.add(reply.body().getString("id"));
        return null;
      }));
    }
    return chain;
  }
}
