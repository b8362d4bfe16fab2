package io.meshnode.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.HashMap;
import java.util.Map;

/**
 * The series of one subscription: {@code kafka_records_delivered_total}, {@code kafka_records_retried_total} and
 * {@code kafka_records_dead_lettered_total} (label {@code subscription}), and the gauge
 * {@code kafka_consumer_lag{subscription, topic, partition}} for each partition assigned to this node — records in
 * the partition not yet acknowledged here. A partition's gauge is removed when it is revoked.
 */
final class SubscriptionMetrics {

  static final String DELIVERED = "kafka.records.delivered";
  static final String RETRIED = "kafka.records.retried";
  static final String DEAD_LETTERED = "kafka.records.dead.lettered";
  static final String LAG = "kafka.consumer.lag";

  private final MeterRegistry registry;
  private final String subscription;
  private final Counter delivered;
  private final Counter retried;
  private final Counter deadLettered;
  private final Map<PartitionProgress, Gauge> lags = new HashMap<>();

  SubscriptionMetrics(MeterRegistry registry, String subscription) {
    this.registry = registry;
    this.subscription = subscription;
    this.delivered = counter(DELIVERED, "Kafka records acknowledged by their subscription's handler");
    this.retried = counter(RETRIED, "Deliveries of Kafka records retried after a handler failure or timeout");
    this.deadLettered = counter(DEAD_LETTERED, "Kafka records written to the dead-letter topic after their retries");
  }

  void delivered() {
    delivered.increment();
  }

  void retried() {
    retried.increment();
  }

  void deadLettered() {
    deadLettered.increment();
  }

  void watch(PartitionProgress partition) {
    lags.put(partition, Gauge.builder(LAG, partition, PartitionProgress::lag)
      .description("Records of an assigned partition not yet acknowledged by this node")
      .tag("subscription", subscription)
      .tag("topic", partition.partition().topic())
      .tag("partition", Integer.toString(partition.partition().partition()))
      .strongReference(true)
      .register(registry));
  }

  void unwatch(PartitionProgress partition) {
    Gauge gauge = lags.remove(partition);
    if (gauge != null) {
      registry.remove(gauge);
    }
  }

  void unwatchAll() {
    lags.values().forEach(registry::remove);
    lags.clear();
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).tag("subscription", subscription).register(registry);
  }
}
