package io.meshnode.support;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Reads a topic back from the beginning with a real Kafka consumer, to prove what the node said it published or
 * queued is there. Blocking: call it from a worker ({@code vertx.executeBlocking}), never from an event loop.
 */
public final class TopicReader {

  /** One record as read back; {@code headers} holds the last value of each header name. */
  public record Read(String key, String value, String messageId, long offset, Map<String, String> headers) {
  }

  private TopicReader() {
  }

  /** Reads until {@code expected} records arrived or {@code timeout} passed; returns what it read. */
  public static List<Read> read(String bootstrapServers, String topic, int expected, Duration timeout) {
    return readUntil(bootstrapServers, topic, records -> records.size() >= expected, timeout);
  }

  /** Reads until what it read satisfies {@code enough} or {@code timeout} passed; returns what it read. */
  public static List<Read> readUntil(String bootstrapServers, String topic, Predicate<List<Read>> enough,
                                     Duration timeout) {
    Map<String, Object> config = Map.of(
      ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
      ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
      ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
      ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<Read> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
           new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      consumer.seekToBeginning(consumer.assignment());
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!enough.test(records) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          Map<String, String> headers = new LinkedHashMap<>();
          for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
          }
          records.add(new Read(record.key(), record.value(), headers.get(io.meshnode.contract.MeshHeader.MESSAGE_ID),
            record.offset(), headers));
        }
      }
    }
    return records;
  }
}
