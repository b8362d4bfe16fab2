package io.meshnode.kafka;

import io.meshnode.contract.MeshField;
import io.meshnode.support.Poll;
import io.meshnode.support.TestKafka;
import io.meshnode.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.kafka.admin.KafkaAdminClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivery rate of one partition at concurrency 1 (the ordered default), handler replying at once: the records are
 * written first, then a node subscribes, and the rate is logged from its first delivery to the last commit. It also
 * guards against back-pressure stalls (a paused partition waiting out a whole poll), which showed as ~5 000/s.
 */
@ExtendWith(VertxExtension.class)
class KafkaSubscriptionThroughputIT {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaSubscriptionThroughputIT.class);
  private static final int RECORDS = 20_000;

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String topic = "throughput-" + run;
  private final String kafka = TestKafka.bootstrapServers();
  private Vertx vertx;

  @BeforeEach
  void newVertx() {
    vertx = TestNode.newVertx();
  }

  @AfterEach
  void close(VertxTestContext test) {
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  private long produce() {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka,
      "linger.ms", 5), new StringSerializer(), new StringSerializer())) {
      producer.partitionsFor(topic);
      for (int i = 0; i < RECORDS; i++) {
        producer.send(new ProducerRecord<>(topic, "k" + i, "{\"n\":" + i + "}"));
      }
    }
    return RECORDS;
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void shouldDeliverAndCommitEveryRecordOfAPartitionInOrderAndLogTheRate(VertxTestContext test) {
    AtomicLong next = new AtomicLong();
    AtomicLong outOfOrder = new AtomicLong();
    AtomicLong firstNanos = new AtomicLong();
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, Map.of("bootstrap.servers", kafka));
    vertx.executeBlocking(this::produce)
      .compose(v -> vertx.eventBus().<JsonObject>consumer("throughput." + run, msg -> {
        firstNanos.compareAndSet(0, System.nanoTime());
        if (msg.body().getLong(MeshField.OFFSET) != next.getAndIncrement()) {
          outOfOrder.incrementAndGet();
        }
        msg.reply(null);
      }).completion())
      .compose(v -> TestNode.deploy(vertx, config -> config.getJsonObject("kafka").put("bootstrap_servers", kafka)
        .put("subscriptions", new JsonArray().add(new JsonObject().put("topic", topic).put("group", "group-" + run)
          .put("address", "throughput." + run).put("dead_letter_topic", topic + ".dlq")))))
      .compose(node -> Poll.until(vertx, "all records committed", 40_000, () -> admin
        .listConsumerGroupOffsets("group-" + run)
        .map(offsets -> offsets.values().stream().mapToLong(o -> o.getOffset()).sum() == RECORDS)))
      .eventually(() -> admin.close())
      .onComplete(test.succeeding(v -> test.verify(() -> {
        double seconds = (System.nanoTime() - firstNanos.get()) / 1e9;
        LOG.info("{} records of one partition delivered and committed in {} s: {} records/s", RECORDS,
          String.format("%.2f", seconds), Math.round(RECORDS / seconds));
        assertThat(next).hasValue(RECORDS);
        assertThat(outOfOrder).hasValue(0);
        test.completeNow();
      })));
  }
}
