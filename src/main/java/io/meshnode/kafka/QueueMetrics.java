package io.meshnode.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The durable queue's Prometheus series: {@code kafka_queue_depth}, {@code kafka_queue_oldest_age_seconds} (of the
 * oldest queued message; 0 when empty) and {@code kafka_queue_dead_lettered_total{reason}} (messages Kafka refused for
 * good at replay, by kafka-clients' exception type).
 */
final class QueueMetrics {

  static final String DEPTH = "kafka_queue_depth";
  static final String OLDEST_AGE = "kafka_queue_oldest_age_seconds";
  /** Counter name; Prometheus exposition adds {@code _total}. */
  static final String DEAD_LETTERED = "kafka_queue_dead_lettered";

  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();

  QueueMetrics(MeterRegistry registry, DurableQueue queue, Supplier<Number> oldestAgeSeconds) {
    this.registry = registry;
    meters.add(Gauge.builder(DEPTH, queue, DurableQueue::depth)
      .description("Messages in the durable Kafka queue, waiting to be replayed").register(registry));
    meters.add(Gauge.builder(OLDEST_AGE, oldestAgeSeconds)
      .description("Age of the oldest message in the durable Kafka queue (0 when empty)").register(registry));
  }

  /** Counts a message set aside as a dead letter. */
  void deadLettered(String reason) {
    Counter counter = Counter.builder(DEAD_LETTERED)
      .description("Queued messages Kafka refused for good at replay, set aside as dead letters")
      .tag("reason", reason).register(registry);
    counter.increment();
  }

  /** Removes the gauges (the verticle stops). */
  void close() {
    meters.forEach(registry::remove);
  }
}
