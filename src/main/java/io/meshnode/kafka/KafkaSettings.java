package io.meshnode.kafka;

import io.meshnode.resilience.ConfigValues;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the {@code kafka} config section: {@code bootstrap_servers}, {@code producer} (kafka-clients properties,
 * passed through over the defaults below), {@code queue_path}, {@code queue_max_messages}, {@code replay_interval_ms},
 * {@code replay_batch}, {@code probe_interval_ms}, {@code consumer} (kafka-clients properties of the subscriptions'
 * consumers, passed through over the defaults below); {@code subscriptions} is read by {@link SubscriptionOptions}.
 *
 * <p>Producer defaults: {@code acks=all} and idempotence (no duplicates from the producer's own retries), and
 * timeouts short enough that a dead broker fails an attempt well inside the {@code kafka_publish} deadline, leaving
 * room for the resilience layer's retries.
 *
 * <p>Consumer defaults: no auto-commit (offsets are committed only once acknowledged), {@code earliest} for a group
 * without offsets (nothing published before the group first joined is missed), the cooperative-sticky assignor
 * (a rebalance revokes only the partitions that move), and polls of at most half a partition's {@code max_in_flight}
 * (so that one poll does not fill a partition's window and pause it while its handler keeps up).
 */
public final class KafkaSettings {

  static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
  static final long DEFAULT_REPLAY_INTERVAL_MILLIS = 1_000;
  static final int DEFAULT_REPLAY_BATCH = 256;

  private KafkaSettings() {
  }

  /**
   * The Kafka verticle's producer properties for the {@code kafka} section: the defaults above with
   * {@code kafka.producer} on top. Public so that a baseline (the benchmark's direct producer) is configured alike.
   */
  public static Map<String, String> producerConfig(JsonObject kafka) {
    Map<String, String> config = clientConfig(kafka);
    config.put("acks", "all");
    config.put("enable.idempotence", "true");
    config.put("max.block.ms", "2000");
    config.put("request.timeout.ms", "5000");
    config.put("delivery.timeout.ms", "10000");
    config.put("linger.ms", "1");
    kafka.getJsonObject("producer", new JsonObject()).forEach(e -> config.put(e.getKey(), String.valueOf(e.getValue())));
    return config;
  }

  static Map<String, Object> consumerConfig(JsonObject kafka, SubscriptionOptions subscription) {
    Map<String, Object> config = new LinkedHashMap<>(clientConfig(kafka));
    config.put("group.id", subscription.group());
    config.put("max.poll.records", Integer.toString(Math.max(1, subscription.maxInFlight() / 2)));
    config.put("enable.auto.commit", "false");
    config.put("auto.offset.reset", "earliest");
    config.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    config.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    config.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    kafka.getJsonObject("consumer", new JsonObject()).forEach(e -> config.put(e.getKey(), String.valueOf(e.getValue())));
    return config;
  }

  /** The admin client that probes the cluster: answers, or fails within a few seconds. */
  static Map<String, String> adminConfig(JsonObject kafka) {
    Map<String, String> config = clientConfig(kafka);
    config.put("request.timeout.ms", "2000");
    config.put("default.api.timeout.ms", "3000");
    return config;
  }

  /** What every client of the node shares: where the cluster is, and reconnecting within a second of its return. */
  private static Map<String, String> clientConfig(JsonObject kafka) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("bootstrap.servers", ConfigValues.string(kafka, "kafka", "bootstrap_servers", DEFAULT_BOOTSTRAP));
    config.put("reconnect.backoff.max.ms", "1000");
    return config;
  }

  static DurableQueueOptions queueOptions(JsonObject kafka) {
    return new DurableQueueOptions()
      .setPath(ConfigValues.string(kafka, "kafka", "queue_path", DurableQueueOptions.DEFAULT_PATH))
      .setMaxMessages(ConfigValues.positiveInt(kafka, "kafka", "queue_max_messages",
        DurableQueueOptions.DEFAULT_MAX_MESSAGES));
  }

  static long replayIntervalMillis(JsonObject kafka) {
    return ConfigValues.positiveInt(kafka, "kafka", "replay_interval_ms", (int) DEFAULT_REPLAY_INTERVAL_MILLIS);
  }

  static int replayBatch(JsonObject kafka) {
    return ConfigValues.positiveInt(kafka, "kafka", "replay_batch", DEFAULT_REPLAY_BATCH);
  }
}
