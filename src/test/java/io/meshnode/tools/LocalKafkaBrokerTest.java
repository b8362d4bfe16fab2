package io.meshnode.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshnode.support.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalKafkaBrokerTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private final LocalKafkaBroker broker = TestKafka.ownBroker();

  @AfterEach
  void stopBroker() {
    broker.stop();
  }

  @Test
  void shouldKeepRecordsAcrossRestart() throws Exception {
    String topic = "restart-" + UUID.randomUUID();
    broker.start();
    assertThat(broker.isRunning()).isTrue();

    produce(topic, "survives-restart");
    assertThat(consumeOne(topic).value()).isEqualTo("survives-restart");

    long firstPid = broker.pid();
    broker.stop();
    assertThat(broker.isRunning()).isFalse();
    assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();

    broker.start();
    assertThat(broker.pid()).isNotEqualTo(firstPid);
    assertThat(consumeOne(topic).value()).isEqualTo("survives-restart");
  }

  @Test
  void shouldRefuseToStartOnATakenPort() {
    broker.start();
    LocalKafkaBroker samePort = new LocalKafkaBroker(brokerJars(), broker.dataDir().resolveSibling(
        "taken-" + UUID.randomUUID()), broker.port(), broker.controllerPort() + 1, "256m");

    assertThatThrownBy(samePort::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("127.0.0.1:" + broker.port())
        .hasMessageContaining("already in use");
  }

  @Test
  void shouldNameTheMissingJars() {
    LocalKafkaBroker noJars = new LocalKafkaBroker(broker.dataDir().resolve("no-jars"), broker.dataDir());

    assertThatThrownBy(noJars::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Kafka broker jars not found")
        .hasMessageContaining("mvn generate-resources");
  }

  private void produce(String topic, String value) throws Exception {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) DEADLINE.toMillis());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "key", value)).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Reads partition 0 from the beginning until a record arrives or the deadline passes. */
  private ConsumerRecord<String, String> consumeOne(String topic) {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    TopicPartition partition = new TopicPartition(topic, 0);
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      List<ConsumerRecord<String, String>> records = new ArrayList<>();
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (records.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
      assertThat(records).as("records on %s within %s", topic, DEADLINE).isNotEmpty();
      return records.get(0);
    }
  }

  private static Path brokerJars() {
    return Path.of(System.getProperty(TestKafka.BROKER_DIR_PROPERTY, "target/kafka-broker"));
  }
}
