package io.meshnode.kafka;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshField;
import io.meshnode.support.RefusalDrill;
import io.meshnode.support.RefusalDrill.Refusal;
import io.meshnode.support.Signals;
import io.meshnode.support.TestKafka;
import io.meshnode.support.TestNode;
import io.meshnode.tools.LocalKafkaBroker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Kafka's refusals of one caller's records (a keyless record on a compacted topic, records too large for a topic or
 * for the producer, and the validator's) are answered 400 at once, never retried, queued or counted by the
 * {@code kafka_producer} breaker, while a frozen broker's real failures open it at exactly its threshold: on a broker
 * the test owns.
 */
@ExtendWith(VertxExtension.class)
class KafkaRefusalsIT {

  private static final int FAILURE_THRESHOLD = 3;
  private static final int PRODUCER_MAX_REQUEST_BYTES = 1_048_576;

  private final LocalKafkaBroker broker = TestKafka.ownBroker();
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String good = "good-" + run;
  private final String compacted = "compacted-" + run;
  private final String small = "small-" + run;
  private Vertx vertx;
  private TestNode node;

  @BeforeEach
  void startBrokerAndNode(VertxTestContext test) throws Exception {
    broker.start();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(good, 1, (short) 1),
        new NewTopic(compacted, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
        new NewTopic(small, 1, (short) 1).configs(Map.of("max.message.bytes", "1024")))).all().get();
    }
    vertx = TestNode.newVertx();
    TestNode.deploy(vertx, config -> {
      config.getJsonObject("kafka").put("bootstrap_servers", broker.bootstrapServers())
        // a frozen broker holds the producer's requests instead of timing them out: the node's deadline cuts the
        // attempt, and the producer's connection is still there when the broker thaws
        .put("producer", new JsonObject().put("request.timeout.ms", "30000").put("delivery.timeout.ms", "60000"));
      config.getJsonObject("resilience").getJsonObject("timeouts").put("kafka_publish", 1.5);
      RefusalDrill.configure(config, "kafka_producer", FAILURE_THRESHOLD);
    }).compose(deployed -> {
      node = deployed;
      return vertx.eventBus().request(MeshAddress.KAFKA_PUBLISH, publish(good).put(MeshField.VALUE, "warm"));
    }).onComplete(test.succeedingThenComplete());
  }

  @AfterEach
  void stopNodeAndBroker(VertxTestContext test) {
    Signals.send(broker.pid(), "-CONT", "kafka broker");
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  private static JsonObject publish(String topic) {
    return new JsonObject().put(MeshField.TOPIC, topic);
  }

  private static Refusal refusal(String kind, JsonObject body, String mentions) {
    return new Refusal(kind, MeshAddress.KAFKA_PUBLISH, body, mentions);
  }

  @Test
  void shouldAnswerRefusalsAt400AndOpenTheBreakerOnlyOnRealFailures(VertxTestContext test) {
    String producerLimit = "x".repeat(PRODUCER_MAX_REQUEST_BYTES);
    List<Refusal> refusals = List.of(
      refusal("a record without key on a compacted topic", publish(compacted).put(MeshField.VALUE, "v"), "kafka:"),
      refusal("a record over the topic's max.message.bytes", publish(small).put(MeshField.VALUE, "v".repeat(2048)),
        "kafka:"),
      refusal("a record over the producer's max.request.size", publish(good).put(MeshField.KEY, "k")
        .put(MeshField.VALUE, producerLimit), "kafka:"),
      refusal("headers over the producer's max.request.size", publish(good).put(MeshField.VALUE, "v")
        .put(MeshField.HEADERS, new JsonObject().put("h", producerLimit)), "kafka:"),
      refusal("the topic '.'", publish(".").put(MeshField.VALUE, "v"), "topic"),
      refusal("the topic '..'", publish("..").put(MeshField.VALUE, "v"), "topic"),
      refusal("an internal topic", publish("__consumer_offsets").put(MeshField.VALUE, "v"), "internal"),
      refusal("a field the address does not define", publish(good).put(MeshField.VALUE, "v").put("partition", 0),
        "'partition'"),
      refusal("a key that is not a string", publish(good).put(MeshField.VALUE, "v").put(MeshField.KEY, 7), "'key'"));
    new RefusalDrill(node, "kafka_producer", FAILURE_THRESHOLD, this::frozenPublish).run(refusals)
      .onComplete(test.succeedingThenComplete());
  }

  /** A publish to a frozen broker: one attempt, cut by the deadline, then queued by the fallback. */
  private Future<Void> frozenPublish() {
    return TestNode.blocking(vertx, () -> Signals.send(broker.pid(), "-STOP", "kafka broker"))
      .compose(v -> vertx.eventBus().request(MeshAddress.KAFKA_PUBLISH, publish(good).put(MeshField.VALUE, "frozen")))
      .eventually(() -> TestNode.blocking(vertx, () -> Signals.send(broker.pid(), "-CONT", "kafka broker")))
      .mapEmpty();
  }
}
