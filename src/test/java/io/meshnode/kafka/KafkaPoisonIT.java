package io.meshnode.kafka;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshField;
import io.meshnode.contract.MeshHeader;
import io.meshnode.support.Poll;
import io.meshnode.support.TestKafka;
import io.meshnode.support.TestNode;
import io.meshnode.support.TopicReader;
import io.meshnode.tools.LocalKafkaBroker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Poison in the durable queue, on a broker the test owns (which creates no topic on first use): messages queued while
 * the broker is down, among them records Kafka refuses at replay (larger than a topic's lowered
 * {@code max.message.bytes}) and a topic Kafka cannot take for a while (nobody created it yet) at the queue's head. Once the broker is back, every good
 * message of the other topics is read back in order per topic, the refused ones wait in the dead-letter store with
 * their reason, the stuck topic holds back only itself (the queue reports {@code stalled}); once it can take records,
 * it drains in order; the operator requeues one dead letter (same id) and drops the rest with {@code bin/mesh-node
 * queue}, and {@code /health} is healthy again.
 */
@ExtendWith(VertxExtension.class)
class KafkaPoisonIT {

  private static final int PER_TOPIC = 20;
  private static final int POISON_BYTES = 2_048;
  /** The deadline of each publish while the broker is down: the attempt is cut, and the message queued. */
  private static final String OUTAGE_TIMEOUT_MS = "150";

  private final LocalKafkaBroker broker = TestKafka.ownBroker().withoutTopicAutoCreation();
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String first = "first-" + run;
  private final String second = "second-" + run;
  private final String small = "small-" + run;
  private final String stuck = "stuck-" + run;
  private Vertx vertx;
  private TestNode node;
  private WebClient http;

  @BeforeEach
  void startBrokerAndNode(VertxTestContext test) throws Exception {
    broker.start();
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(first, 1, (short) 1), new NewTopic(second, 1, (short) 1),
        new NewTopic(small, 1, (short) 1).configs(Map.of("max.message.bytes", "1024")))).all().get();
    }
    vertx = TestNode.newVertx();
    http = WebClient.create(vertx);
    TestNode.deploy(vertx, config -> {
      config.getJsonObject("kafka").put("bootstrap_servers", broker.bootstrapServers());
      // the outage's cut attempts must not open the breaker: this test is about the queue
      config.getJsonObject("resilience").getJsonObject("circuit_breakers").getJsonObject("kafka_producer")
        .put("failure_threshold", 1_000);
    }).compose(deployed -> {
      node = deployed;
      // every topic's metadata known to the producer before the outage (stuck's warm-up is queued: its head)
      return Future.all(publish(first, "warm", null), publish(second, "warm", null), publish(small, "warm", null),
        publish(stuck, "warm", null));
    }).onComplete(test.succeedingThenComplete());
  }

  @AfterEach
  void stopNodeAndBroker(VertxTestContext test) {
    vertx.close().onComplete(ar -> {
      broker.stop();
      test.completeNow();
    });
  }

  private Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }

  private Future<Message<JsonObject>> publish(String topic, String value, String timeoutMillis) {
    DeliveryOptions options = new DeliveryOptions();
    if (timeoutMillis != null) {
      options.addHeader(MeshHeader.TIMEOUT_MS, timeoutMillis);
    }
    return vertx.eventBus().request(MeshAddress.KAFKA_PUBLISH,
      new JsonObject().put(MeshField.TOPIC, topic).put(MeshField.VALUE, value), options);
  }

  private Future<JsonObject> queue() {
    return node.health().map(health -> health.getJsonObject("queue"));
  }

  @Test
  @Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
  void shouldSetPoisonAsideAndNeverLetOneTopicHoldBackAnother(VertxTestContext test) {
    Map<String, List<String>> ids = Map.of(first, new ArrayList<>(), second, new ArrayList<>(), small,
      new ArrayList<>(), stuck, new ArrayList<>());
    TestNode.blocking(vertx, broker::stop)
      .compose(v -> queueDuringTheOutage(ids))
      .compose(v -> TestNode.blocking(vertx, broker::start))
      .compose(v -> Poll.until(vertx, "the good topics replayed and the poison set aside", 60_000,
        () -> queue().map(queue -> queue.getLong("depth") == PER_TOPIC / 4 + 1
          && queue.getLong("dead") == PER_TOPIC / 4)))
      .compose(v -> Poll.until(vertx, "the stuck head reported as stalled", 30_000,
        () -> queue().map(queue -> queue.getBoolean("stalled"))))
      .compose(v -> node.health())
      .compose(health -> {
        test.verify(() -> assertThat(health.getString("status")).isEqualTo("degraded"));
        return readBack(first, PER_TOPIC).compose(firstRead -> readBack(second, PER_TOPIC).map(secondRead -> {
          test.verify(() -> {
            assertThat(firstRead).as("first, in order").containsSubsequence(ids.get(first));
            assertThat(secondRead).as("second, in order").containsSubsequence(ids.get(second));
          });
          return null;
        }));
      })
      .compose(v -> node.metrics())
      .compose(metrics -> {
        test.verify(() -> {
          assertThat(TestNode.sample(metrics, "kafka_queue_dead_lettered_total{reason=\"RecordTooLargeException\"}"))
            .isEqualTo(PER_TOPIC / 4);
          assertThat(TestNode.sample(metrics, "kafka_queue_depth")).isEqualTo(PER_TOPIC / 4 + 1);
          assertThat(TestNode.sample(metrics, "kafka_queue_oldest_age_seconds")).isPositive();
        });
        return cli("dead");
      })
      .compose(listed -> {
        JsonArray dead = listed.getJsonArray("dead");
        test.verify(() -> {
          assertThat(listed.getLong("count")).isEqualTo(PER_TOPIC / 4);
          assertThat(dead).hasSize(PER_TOPIC / 4);
          assertThat(dead.stream().map(JsonObject.class::cast).map(letter -> letter.getString("id")))
            .containsExactlyElementsOf(ids.get(small));
          dead.stream().map(JsonObject.class::cast).forEach(letter -> {
            assertThat(letter.getString("topic")).isEqualTo(small);
            assertThat(letter.getString("reason")).isEqualTo("RecordTooLargeException");
            assertThat(letter.getInteger("attempts")).isPositive();
          });
        });
        return vertx.executeBlocking(this::createStuck);
      })
      .compose(v -> Poll.until(vertx, "the stuck topic drained once Kafka takes it", 60_000,
        () -> queue().map(queue -> queue.getLong("depth") == 0 && !queue.getBoolean("stalled"))))
      .compose(v -> readBack(stuck, PER_TOPIC / 4 + 1))
      .compose(stuckRead -> {
        test.verify(() -> assertThat(stuckRead).as("stuck, in order").containsSubsequence(ids.get(stuck)));
        return vertx.executeBlocking(() -> alter(small, "max.message.bytes", "1048576"));
      })
      .compose(v -> cli("requeue", ids.get(small).get(0)))
      .compose(requeued -> {
        test.verify(() -> assertThat(requeued.getInteger("requeued")).isEqualTo(1));
        return cli("drop", "--all");
      })
      .compose(dropped -> {
        test.verify(() -> assertThat(dropped.getInteger("dropped")).isEqualTo(PER_TOPIC / 4 - 1));
        return Poll.until(vertx, "/health healthy once the dead letters are handled", 30_000,
          () -> node.health().map(health -> "healthy".equals(health.getString("status"))));
      })
      .compose(v -> readBack(small, 2))
      .compose(smallRead -> {
        test.verify(() -> assertThat(smallRead).as("the requeued letter published, same id")
          .contains(ids.get(small).get(0)));
        return http.get(node.httpPort(), "127.0.0.1", "/admin/queue/dead").send();
      })
      .onComplete(test.succeeding(empty -> test.verify(() -> {
        assertThat(empty.bodyAsJsonObject().getLong("count")).isZero();
        test.completeNow();
      })));
  }

  /** Stuck first, then the two good topics in turn, a poison record to small and a stuck one every fourth. */
  private Future<Void> queueDuringTheOutage(Map<String, List<String>> ids) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < PER_TOPIC; i++) {
      int n = i;
      chain = chain.compose(v -> queued(first, "first " + n, ids))
        .compose(v -> queued(second, "second " + n, ids));
      if (i % 4 == 1) {
        chain = chain.compose(v -> queued(small, "x".repeat(POISON_BYTES), ids))
          .compose(v -> queued(stuck, "stuck " + n, ids));
      }
    }
    return chain;
  }

  private Future<Void> queued(String topic, String value, Map<String, List<String>> ids) {
    return publish(topic, value, OUTAGE_TIMEOUT_MS).map(reply -> {
      assertThat(reply.body().getString(MeshField.STATUS)).as("publish to %s during the outage", topic)
        .isEqualTo(MeshField.STATUS_QUEUED);
      ids.get(topic).add(reply.body().getString(MeshField.ID));
      return null;
    });
  }

  /** The distinct message ids of the topic, in the order they were first read. */
  private Future<List<String>> readBack(String topic, int atLeast) {
    return vertx.executeBlocking(() -> TopicReader.read(broker.bootstrapServers(), topic, atLeast,
        Duration.ofSeconds(20)).stream().map(TopicReader.Read::messageId).distinct().toList());
  }

  private Void createStuck() throws Exception {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(stuck, 1, (short) 1))).all().get();
    }
    return null;
  }

  private Void alter(String topic, String key, String value) throws Exception {
    try (Admin admin = admin()) {
      admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic),
        List.of(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)))).all().get();
    }
    return null;
  }

  /** Runs {@code bin/mesh-node queue <args>} against this node; its output as JSON. */
  private Future<JsonObject> cli(String... args) {
    return vertx.executeBlocking(() -> {
      List<String> command = new ArrayList<>(List.of(TestKafka.projectDir().resolve("bin/mesh-node").toString(),
        "queue"));
      command.addAll(List.of(args));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().put("MESH_HTTP_PORT", Integer.toString(node.httpPort()));
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("bin/mesh-node queue " + String.join(" ", args) + " failed: " + output);
      }
      return new JsonObject(output);
    });
  }
}
