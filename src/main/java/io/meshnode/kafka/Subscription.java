package io.meshnode.kafka;

import io.meshnode.contract.LocalEvents;
import io.meshnode.contract.MeshAddress;
import io.meshnode.resilience.BreakerOpenException;
import io.meshnode.resilience.BreakerState;
import io.meshnode.resilience.DependencyBreaker;
import io.meshnode.resilience.Failures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One subscription on the event loop: takes each {@link ConsumerLoop.Batch}, keeps a {@link PartitionLane} per
 * assigned partition, and delivers records through {@link RecordSender} (the delivery breaker around a bus request
 * with the {@code kafka_consume} time limit). The composition, outermost first:
 *
 * <pre>dead-letter( retry( breaker( request(address, kafka_consume) )))</pre>
 *
 * <ul>
 *   <li>the handler's reply acknowledges the record; the lane commits the acknowledged prefix;</li>
 *   <li>a failure or timeout is retried after the retry policy's backoff; after {@code max_retries} retries (or at
 *       once, when the handler answers 400/404: the record itself is bad) the record is dead-lettered, then
 *       acknowledged;</li>
 *   <li>no handler on the address: the record waits — the lane is blocked and its partition paused — and is offered
 *       again after the policy's backoff, which does not use up its retries; the breaker opens after
 *       {@code failure_threshold} such failures, and then the lane waits for the breaker to let a probe through.</li>
 * </ul>
 */
final class Subscription {

  private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);

  private final Vertx vertx;
  private final Context context;
  private final SubscriptionOptions options;
  private final DependencyBreaker breaker;
  private final RecordSender sender;
  private final DeadLetters deadLetters;
  private final SubscriptionMetrics metrics;
  private final ConsumerLoop loop;
  private final Map<TopicPartition, PartitionLane> lanes = new TreeMap<>(
    (a, b) -> a.topic().equals(b.topic()) ? Integer.compare(a.partition(), b.partition()) : a.topic().compareTo(b.topic()));
  private final List<Runnable> waitingForBreaker = new ArrayList<>();

  Subscription(Vertx vertx, SubscriptionOptions options, DeadLetters deadLetters, MeterRegistry registry) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.options = options;
    this.breaker = new DependencyBreaker(vertx, options.breaker(), Failures::countsAgainstDependency);
    this.sender = new RecordSender(vertx, options, breaker);
    this.deadLetters = deadLetters;
    this.metrics = new SubscriptionMetrics(registry, options.name());
    this.loop = new ConsumerLoop(vertx, options.name());
    breaker.onTransition((from, to) -> context.runOnContext(v -> onBreakerTransition(from, to)));
  }

  /** Live once the consumer is created and subscribed (the broker may still be down: it then joins when it can). */
  Future<Void> start(Map<String, Object> consumerConfig) {
    return loop.start(consumerConfig, options, this::onBatch).onSuccess(v -> {
      LOG.info("subscription {}: {} (group {}) -> {}", options.name(), options.source(), options.group(),
        options.address());
      announce();
    });
  }

  /** Closes the consumer (committing what is acknowledged); records in flight are redelivered by the next owner. */
  Future<Void> stop() {
    lanes.values().forEach(lane -> lane.progress().revoke());
    return loop.stop().eventually(() -> {
      metrics.unwatchAll();
      breaker.close();
      return Future.succeededFuture();
    });
  }

  private void onBatch(ConsumerLoop.Batch batch) {
    batch.revoked().forEach(tp -> {
      PartitionLane lane = lanes.get(tp);
      if (lane != null && !lane.active()) {
        lanes.remove(tp);
        metrics.unwatch(lane.progress());
      }
    });
    batch.assigned().forEach(progress -> {
      lanes.put(progress.partition(), new PartitionLane(progress, options.concurrency(), options.maxInFlight()));
      metrics.watch(progress);
    });
    if (!batch.revoked().isEmpty() || !batch.assigned().isEmpty()) {
      announce();
    }
    batch.records().forEach(record -> {
      PartitionLane lane = lanes.get(new TopicPartition(record.topic(), record.partition()));
      if (lane != null && lane.active()) {
        lane.add(record);
      }
    });
    lanes.values().forEach(this::dispatch);
  }

  private void dispatch(PartitionLane lane) {
    lane.startable().forEach(entry -> attempt(lane, entry));
  }

  private void attempt(PartitionLane lane, PartitionLane.Entry entry) {
    if (!lane.active()) {
      return;
    }
    sender.send(entry).onComplete(ar -> {
      if (!lane.active()) {
        return;
      }
      if (ar.succeeded()) {
        if (lane.unblock()) {
          LOG.info("subscription {}: {} answers again, {} resumes", options.name(), options.address(),
            lane.progress().partition());
        }
        metrics.delivered();
        done(lane, entry);
      } else {
        onFailure(lane, entry, ar.cause());
      }
      if (!(ar.failed() && ar.cause() instanceof BreakerOpenException)) {
        wakeBreakerWaiters();
      }
    });
  }

  private void onFailure(PartitionLane lane, PartitionLane.Entry entry, Throwable failure) {
    if (failure instanceof BreakerOpenException) {
      lane.block();
      waitingForBreaker.add(() -> attempt(lane, entry));
      return;
    }
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
      if (!lane.blocked()) {
        LOG.warn("subscription {}: no handler on {}; {} waits at offset {}", options.name(), options.address(),
          lane.progress().partition(), entry.record.offset());
      }
      lane.block();
      vertx.setTimer(options.retry().delayMillis(++entry.waits, ThreadLocalRandom.current()::nextDouble),
        id -> attempt(lane, entry));
      return;
    }
    entry.attempts++;
    String reason = RecordSender.reason(failure);
    if (Failures.isClientError(failure) || entry.attempts > options.retry().maxRetries()) {
      deadLetter(lane, entry, reason, 1);
      return;
    }
    long delay = options.retry().delayMillis(entry.attempts, ThreadLocalRandom.current()::nextDouble);
    LOG.warn("subscription {}: {}@{} failed on attempt {} ({}), retry in {} ms", options.name(),
      lane.progress().partition(), entry.record.offset(), entry.attempts, reason, delay);
    metrics.retried();
    vertx.setTimer(delay, id -> attempt(lane, entry));
  }

  /** Writes the record to the dead-letter topic, trying again with the policy's backoff until the topic has it. */
  private void deadLetter(PartitionLane lane, PartitionLane.Entry entry, String reason, int tries) {
    deadLetters.send(options.deadLetterTopic(), entry.record, reason, entry.attempts).onComplete(ar -> {
      if (!lane.active()) {
        return;
      }
      if (ar.succeeded()) {
        LOG.warn("subscription {}: {}@{} dead-lettered to {} after {} attempt(s): {}", options.name(),
          lane.progress().partition(), entry.record.offset(), options.deadLetterTopic(), entry.attempts, reason);
        metrics.deadLettered();
        done(lane, entry);
      } else {
        long delay = options.retry().delayMillis(tries, ThreadLocalRandom.current()::nextDouble);
        LOG.warn("subscription {}: dead-letter topic {} refused {}@{}, again in {} ms: {}", options.name(),
          options.deadLetterTopic(), lane.progress().partition(), entry.record.offset(), delay, ar.cause().toString());
        vertx.setTimer(delay, id -> deadLetter(lane, entry, reason, tries + 1));
      }
    });
  }

  private void done(PartitionLane lane, PartitionLane.Entry entry) {
    lane.acknowledge(entry);
    dispatch(lane);
  }

  private void wakeBreakerWaiters() {
    List<Runnable> waiting = new ArrayList<>(waitingForBreaker);
    waitingForBreaker.clear();
    waiting.forEach(Runnable::run);
  }

  private void onBreakerTransition(BreakerState from, BreakerState to) {
    LOG.info("subscription {}: delivery breaker of {}: {} -> {}", options.name(), options.address(), from.label(),
      to.label());
    announce();
    if (to != BreakerState.OPEN) {
      wakeBreakerWaiters();
    }
  }

  private void announce() {
    JsonArray partitions = new JsonArray();
    lanes.keySet().forEach(tp -> partitions.add(tp.toString()));
    JsonObject event = new JsonObject().put("subscription", options.name())
      .put(options.topic() != null ? "topic" : "pattern", options.source())
      .put("group", options.group()).put("address", options.address())
      .put("breaker", breaker.state().label()).put("partitions", partitions).put("at", Instant.now().toString());
    LocalEvents.publish(vertx, MeshAddress.EVENTS_SUBSCRIPTION, event);
  }
}
