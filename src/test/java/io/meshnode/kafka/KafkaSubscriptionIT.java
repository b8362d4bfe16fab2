package io.meshnode.kafka;

import io.meshnode.client.MeshClient;
import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshField;
import io.meshnode.contract.MeshHeader;
import io.meshnode.support.Poll;
import io.meshnode.support.PrometheusLint;
import io.meshnode.support.TestKafka;
import io.meshnode.support.TestNode;
import io.meshnode.support.TopicReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Subscriptions on the shared real broker: the shipped node with one subscription added, delivering to a handler
 * the test registers on the node's bus. Fast test settings: {@code kafka_consume} 1 s, retry delays 50–200 ms.
 */
@ExtendWith(VertxExtension.class)
class KafkaSubscriptionIT {

  private static final String NAME = "it";

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String topic = "consume-" + run;
  private final String group = "group-" + run;
  private final String address = "test.consume." + run;
  private final String deadLetterTopic = topic + ".dlq";
  private final String kafka = TestKafka.bootstrapServers();
  private Vertx vertx;
  private TestNode node;

  @BeforeEach
  void newVertx() {
    vertx = TestNode.newVertx();
  }

  @AfterEach
  void close(VertxTestContext test) {
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  /** Deploys the node with the subscription {@code it}, changed by {@code change}; kafka_consume 1 s. */
  private Future<TestNode> deploy(Consumer<JsonObject> change) {
    return deploy(change, 1);
  }

  private Future<TestNode> deploy(Consumer<JsonObject> change, int kafkaConsumeSeconds) {
    return deployOn(vertx, change, kafkaConsumeSeconds).onSuccess(deployed -> node = deployed);
  }

  private Future<TestNode> deployOn(Vertx target, Consumer<JsonObject> change, int kafkaConsumeSeconds) {
    JsonObject subscription = new JsonObject().put("name", NAME).put("topic", topic).put("group", group)
      .put("address", address).put("dead_letter_topic", deadLetterTopic).put("retry", "kafka");
    change.accept(subscription);
    return TestNode.deploy(target, config -> {
      config.getJsonObject("kafka").put("bootstrap_servers", kafka).put("subscriptions", new JsonArray().add(subscription))
        .put("consumer", new JsonObject().put("heartbeat.interval.ms", 300));
      config.getJsonObject("resilience").getJsonObject("timeouts").put("kafka_consume", kafkaConsumeSeconds);
    });
  }

  private Future<Void> createTopic(int partitions) {
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, Map.of("bootstrap.servers", kafka));
    return admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).eventually(() -> admin.close());
  }

  /** Keys that the default partitioner sends to partitions 0, 1, … of a topic with {@code partitions} partitions. */
  private static List<String> keysForPartitions(int partitions) {
    String[] keys = new String[partitions];
    for (int i = 0, found = 0; found < partitions; i++) {
      String key = "k" + i;
      int partition = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
      if (keys[partition] == null) {
        keys[partition] = key;
        found++;
      }
    }
    return List.of(keys);
  }

  private Future<Void> handle(Function<Message<JsonObject>, Future<Void>> handler) {
    return handleOn(vertx, handler);
  }

  private Future<Void> handleOn(Vertx target, Function<Message<JsonObject>, Future<Void>> handler) {
    return target.eventBus().<JsonObject>consumer(address, msg -> handler.apply(msg)
      .onSuccess(v -> msg.reply(new JsonObject().put("ok", true)))
      .onFailure(failure -> msg.fail(500, failure.getMessage()))).completion();
  }

  /** Publishes through {@code mesh.kafka.publish}, one after the other; the message ids, in order. */
  private Future<List<String>> publish(List<String> keys) {
    MeshClient mesh = MeshClient.create(vertx);
    List<String> ids = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      String value = key + "-" + i;
      chain = chain.compose(v -> mesh.kafka().publish(topic, key, value).map(reply -> {
        ids.add(reply.body().getString(MeshField.ID));
        return null;
      }));
    }
    return chain.map(v -> ids);
  }

  /** The group's committed offsets on the topic, summed over partitions; 0 when nothing is committed. */
  private Future<Long> committed() {
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, Map.of("bootstrap.servers", kafka));
    return admin.listConsumerGroupOffsets(group)
      .map(offsets -> offsets.entrySet().stream().filter(e -> e.getKey().getTopic().equals(topic))
        .mapToLong(e -> e.getValue().getOffset()).sum())
      .eventually(() -> admin.close());
  }

  private Future<Void> committedReaches(long expected) {
    return Poll.until(vertx, "committed offsets of " + group + " = " + expected, 20_000,
      () -> committed().map(offset -> offset == expected));
  }

  private Future<Double> metric(String series) {
    return node.metrics().map(text -> TestNode.sample(text, series));
  }

  @Test
  void shouldDeliverEveryRecordInOrderPerPartitionWithItsMessageIdAndCommitIt(VertxTestContext test) {
    Map<Integer, List<JsonObject>> byPartition = new ConcurrentHashMap<>();
    List<String> busIds = Collections.synchronizedList(new ArrayList<>());
    List<String> three = keysForPartitions(3);
    List<String> keys = new ArrayList<>();
    LongStream.range(0, 30).forEach(i -> keys.add(three.get((int) i % 3)));
    String queuedId = "queued-" + run;
    createTopic(3)
      .compose(v -> handle(msg -> {
        byPartition.computeIfAbsent(msg.body().getInteger(MeshField.PARTITION), p -> new ArrayList<>()).add(msg.body());
        busIds.add(msg.headers().get(MeshHeader.MESSAGE_ID));
        return Future.succeededFuture();
      }))
      .compose(v -> deploy(subscription -> { }))
      .compose(v -> publish(keys))
      .compose(ids -> vertx.eventBus().request(MeshAddress.INTERNAL_KAFKA_ENQUEUE, new JsonObject()
          .put(MeshField.ID, queuedId).put(MeshField.TOPIC, topic).put(MeshField.KEY, three.get(0)).put(MeshField.VALUE, "queued"))
        .map(queued -> {
          List<String> all = new ArrayList<>(ids);
          all.add(queuedId);
          return all;
        }))
      .compose(ids -> committedReaches(31).map(ids))
      .compose(ids -> {
        test.verify(() -> {
          assertThat(busIds).containsExactlyInAnyOrderElementsOf(ids);
          assertThat(byPartition).hasSize(3);
          byPartition.values().forEach(records -> {
            assertThat(records).extracting(r -> r.getLong(MeshField.OFFSET))
              .containsExactlyElementsOf(LongStream.range(0, records.size()).boxed().toList());
            assertThat(records).extracting(r -> r.getString(MeshField.KEY)).containsOnly(records.get(0).getString("key"));
            assertThat(records).allSatisfy(r -> {
              assertThat(r.getString(MeshField.TOPIC)).isEqualTo(topic);
              assertThat(r.getJsonObject(MeshField.HEADERS).getString(MeshHeader.MESSAGE_ID)).isNotBlank();
              assertThat(r.getLong(MeshField.TIMESTAMP)).isPositive();
            });
          });
          List<String> first = byPartition.get(0).stream().map(r -> r.getString(MeshField.VALUE)).toList();
          String key = three.get(0);
          assertThat(first).startsWith(key + "-0", key + "-3", key + "-6").endsWith(key + "-27", "queued");
        });
        return node.metrics().compose(metrics -> node.health().map(health -> Map.entry(metrics, health)));
      })
      .onComplete(test.succeeding(pair -> test.verify(() -> {
        String metrics = pair.getKey();
        assertThat(TestNode.sample(metrics, "kafka_records_delivered_total{subscription=\"it\"}")).isEqualTo(31);
        assertThat(TestNode.sample(metrics, "kafka_records_dead_lettered_total{subscription=\"it\"}")).isZero();
        assertThat(TestNode.sample(metrics, "kafka_consumer_lag{partition=\"0\",subscription=\"it\",topic=\"" + topic
          + "\"}")).isZero();
        assertThat(PrometheusLint.problems(metrics)).isEmpty();
        JsonObject subscription = pair.getValue().getJsonObject("subscriptions").getJsonObject(NAME);
        assertThat(subscription.getString("topic")).isEqualTo(topic);
        assertThat(subscription.getString("address")).isEqualTo(address);
        assertThat(subscription.getString("breaker")).isEqualTo("closed");
        assertThat(subscription.getJsonArray("partitions")).hasSize(3);
        test.completeNow();
      })));
  }

  @Test
  void shouldCommitOnlyAcknowledgedRecordsAndRedeliverExactlyTheRestAfterARestart() throws Exception {
    // driven from the test thread: the first node's Vert.x is closed half-way
    List<Long> first = Collections.synchronizedList(new ArrayList<>());
    handle(msg -> {
      long offset = msg.body().getLong(MeshField.OFFSET);
      first.add(offset);
      return offset < 5 ? Future.succeededFuture() : Future.future(never -> { });
    }).await(10, TimeUnit.SECONDS);
    deploy(subscription -> { }, 30).await(30, TimeUnit.SECONDS);
    publish(List.of("a", "a", "a", "a", "a", "a", "a", "a", "a", "a")).await(30, TimeUnit.SECONDS);
    committedReaches(5).await(25, TimeUnit.SECONDS);
    String lag = "kafka_consumer_lag{partition=\"0\",subscription=\"it\",topic=\"" + topic + "\"}";
    Poll.until(vertx, "lag 5", 5_000, () -> metric(lag).map(value -> value == 5)).await(10, TimeUnit.SECONDS);
    assertThat(first).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    assertThat(committed().await(10, TimeUnit.SECONDS)).as("record 5 is held, 6..9 wait behind it").isEqualTo(5);
    vertx.close().await(30, TimeUnit.SECONDS);

    vertx = TestNode.newVertx();
    List<Long> second = Collections.synchronizedList(new ArrayList<>());
    handle(msg -> {
      second.add(msg.body().getLong(MeshField.OFFSET));
      return Future.succeededFuture();
    }).await(10, TimeUnit.SECONDS);
    deploy(subscription -> { }).await(30, TimeUnit.SECONDS);
    committedReaches(10).await(25, TimeUnit.SECONDS);
    assertThat(second).containsExactly(5L, 6L, 7L, 8L, 9L);
  }

  @Test
  void shouldRetryAHandlerThatFailsTwiceAndAcknowledgeTheRecordOnce(VertxTestContext test) {
    Map<Long, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    handle(msg -> {
      int delivery = deliveries.computeIfAbsent(msg.body().getLong(MeshField.OFFSET), o -> new AtomicInteger())
        .incrementAndGet();
      return msg.body().getString(MeshField.KEY).equals("flaky") && delivery <= 2
        ? Future.failedFuture("boom " + delivery) : Future.succeededFuture();
    })
      .compose(v -> deploy(subscription -> { }))
      .compose(v -> publish(List.of("flaky", "next")))
      .compose(v -> committedReaches(2))
      .compose(v -> node.metrics())
      .onComplete(test.succeeding(metrics -> test.verify(() -> {
        assertThat(deliveries.get(0L)).hasValue(3);
        assertThat(deliveries.get(1L)).hasValue(1);
        assertThat(TestNode.sample(metrics, "kafka_records_delivered_total{subscription=\"it\"}")).isEqualTo(2);
        assertThat(TestNode.sample(metrics, "kafka_records_retried_total{subscription=\"it\"}")).isEqualTo(2);
        assertThat(TestNode.sample(metrics, "kafka_records_dead_lettered_total{subscription=\"it\"}")).isZero();
        test.completeNow();
      })));
  }

  @Test
  void shouldDeadLetterARecordItsHandlerAlwaysRejectsAndDeliverTheNextOnes(VertxTestContext test) {
    List<String> handled = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger poisonDeliveries = new AtomicInteger();
    handle(msg -> {
      if (msg.body().getString(MeshField.KEY).equals("poison")) {
        poisonDeliveries.incrementAndGet();
        return Future.failedFuture("cannot parse");
      }
      handled.add(msg.body().getString(MeshField.KEY));
      return Future.succeededFuture();
    })
      .compose(v -> deploy(subscription -> { }))
      .compose(v -> publish(List.of("poison", "ok1", "ok2")))
      .compose(ids -> committedReaches(3)
        .compose(v -> vertx.executeBlocking(() -> TopicReader.read(kafka, deadLetterTopic, 1, Duration.ofSeconds(10))))
        .map(letters -> Map.entry(ids.get(0), letters)))
      .onComplete(test.succeeding(result -> test.verify(() -> {
        assertThat(handled).containsExactly("ok1", "ok2");
        assertThat(poisonDeliveries).hasValue(4);
        assertThat(result.getValue()).singleElement().satisfies(letter -> {
          assertThat(letter.key()).isEqualTo("poison");
          assertThat(letter.value()).isEqualTo("poison-0");
          assertThat(letter.messageId()).isEqualTo(result.getKey());
          assertThat(letter.headers())
            .containsEntry(MeshHeader.DLQ_TOPIC, topic)
            .containsEntry(MeshHeader.DLQ_PARTITION, "0")
            .containsEntry(MeshHeader.DLQ_OFFSET, "0")
            .containsEntry(MeshHeader.DLQ_ATTEMPTS, "4");
          assertThat(letter.headers().get(MeshHeader.DLQ_REASON)).contains("500").contains("cannot parse");
        });
        test.completeNow();
      })));
  }

  @Test
  void shouldTreatAHandlerSlowerThanTheTimeLimitAsFailed(VertxTestContext test) {
    AtomicInteger deliveries = new AtomicInteger();
    handle(msg -> deliveries.incrementAndGet() == 1
      ? Future.future(late -> vertx.setTimer(1_500, id -> late.complete()))
      : Future.succeededFuture())
      .compose(v -> deploy(subscription -> { }))
      .compose(v -> publish(List.of("slow")))
      .compose(v -> committedReaches(1))
      .compose(v -> Poll.until(vertx, "the late reply to be ignored", 5_000,
        () -> Future.succeededFuture(deliveries.get() == 2)))
      .compose(v -> vertx.timer(700))
      .compose(v -> node.metrics())
      .onComplete(test.succeeding(metrics -> test.verify(() -> {
        assertThat(deliveries).hasValue(2);
        assertThat(TestNode.sample(metrics, "kafka_records_retried_total{subscription=\"it\"}")).isEqualTo(1);
        assertThat(TestNode.sample(metrics, "kafka_records_delivered_total{subscription=\"it\"}")).isEqualTo(1);
        test.completeNow();
      })));
  }

  @Test
  void shouldKeepARecordWaitingUntilAHandlerRegisters(VertxTestContext test) {
    List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
    deploy(subscription -> subscription.put("breaker", new JsonObject()
      .put("failure_threshold", 2).put("success_threshold", 1).put("timeout", 1)))
      .compose(v -> publish(List.of("early")))
      .compose(v -> Poll.until(vertx, "the delivery breaker to open", 10_000, () -> node.health()
        .map(health -> "open".equals(health.getJsonObject("subscriptions").getJsonObject(NAME).getString("breaker")))))
      .compose(v -> committed())
      .compose(nothing -> {
        test.verify(() -> assertThat(nothing).as("nothing committed while the record waits").isZero());
        return handle(msg -> {
          delivered.add(msg.body().getLong(MeshField.OFFSET));
          return Future.succeededFuture();
        });
      })
      .compose(v -> committedReaches(1))
      .onComplete(test.succeeding(v -> test.verify(() -> {
        assertThat(delivered).containsExactly(0L);
        test.completeNow();
      })));
  }

  @Test
  void shouldShareTheGroupWithASecondNodeWithoutDeliveringARecordTwiceWithinANode() throws Exception {
    List<String> keys = new ArrayList<>();
    List<String> two = keysForPartitions(2);
    LongStream.range(0, 60).forEach(i -> keys.add(two.get((int) i % 2)));
    List<String> onFirst = Collections.synchronizedList(new ArrayList<>());
    List<String> onSecond = Collections.synchronizedList(new ArrayList<>());
    Function<List<String>, Function<Message<JsonObject>, Future<Void>>> recordInto = list -> msg -> {
      list.add(msg.body().getInteger(MeshField.PARTITION) + "@" + msg.body().getLong(MeshField.OFFSET));
      return Future.succeededFuture();
    };
    createTopic(2).await(10, TimeUnit.SECONDS);
    handle(recordInto.apply(onFirst)).await(10, TimeUnit.SECONDS);
    deploy(subscription -> { }).await(30, TimeUnit.SECONDS);
    Future<List<String>> publishing = publish(keys);
    Poll.until(vertx, "the first deliveries", 10_000, () -> Future.succeededFuture(onFirst.size() >= 10))
      .await(15, TimeUnit.SECONDS);

    Vertx secondVertx = TestNode.newVertx();
    try {
      handleOn(secondVertx, recordInto.apply(onSecond)).await(10, TimeUnit.SECONDS);
      TestNode second = deployOn(secondVertx, subscription -> { }, 1).await(30, TimeUnit.SECONDS);
      Poll.until(vertx, "one partition on each node", 20_000, () -> Future.join(node.health(), second.health())
        .map(both -> both.<JsonObject>list().stream().allMatch(health ->
          health.getJsonObject("subscriptions").getJsonObject(NAME).getJsonArray("partitions").size() == 1)))
        .await(25, TimeUnit.SECONDS);
      publishing.await(30, TimeUnit.SECONDS);
      publish(keys.subList(0, 20)).await(30, TimeUnit.SECONDS);
      committedReaches(80).await(25, TimeUnit.SECONDS);
    } finally {
      secondVertx.close().await(30, TimeUnit.SECONDS);
    }
    assertThat(onFirst).doesNotHaveDuplicates();
    assertThat(onSecond).doesNotHaveDuplicates().isNotEmpty();
    List<String> all = new ArrayList<>();
    LongStream.range(0, 40).forEach(offset -> List.of(0, 1).forEach(p -> all.add(p + "@" + offset)));
    List<String> union = new ArrayList<>(onFirst);
    union.addAll(onSecond);
    assertThat(union).containsAll(all);
  }
}
