package io.meshnode.kafka;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One kafka-clients consumer, driven from a single-thread worker executor: each step commits what the event loop
 * acknowledged, applies the pauses it asked for, polls, and hands the records and the rebalance that happened to the
 * event loop. The rebalance listener runs inside {@code poll} on that thread, so a revocation commits the
 * acknowledged offsets <em>before</em> the partitions move, and marks their {@link PartitionProgress} revoked so the
 * event loop drops them.
 */
final class ConsumerLoop implements ConsumerRebalanceListener {

  /** What one poll brought: partitions revoked and assigned during it, then the records. */
  record Batch(Set<TopicPartition> revoked, List<PartitionProgress> assigned, ConsumerRecords<String, String> records) {
  }

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
  /** While a partition is paused only for back-pressure: its resumption must not wait for a full poll. */
  private static final Duration SHORT_POLL_TIMEOUT = Duration.ofMillis(5);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final long FAILED_POLL_PAUSE_MILLIS = 1_000;

  private final Vertx vertx;
  private final String name;
  private final WorkerExecutor thread;
  private final Map<TopicPartition, PartitionProgress> progress = new ConcurrentHashMap<>();
  private final Set<TopicPartition> revokedDuringPoll = new HashSet<>();
  private final List<PartitionProgress> assignedDuringPoll = new ArrayList<>();
  private KafkaConsumer<String, String> consumer;
  private Future<?> step = Future.succeededFuture();
  private boolean stopping;
  private boolean commitFailing;

  ConsumerLoop(Vertx vertx, String name) {
    this.vertx = vertx;
    this.name = name;
    this.thread = vertx.createSharedWorkerExecutor("mesh-kafka-consumer-" + name, 1, 1, TimeUnit.MINUTES);
  }

  /** Creates the consumer and subscribes; polling starts right after and hands every batch to {@code onBatch}. */
  Future<Void> start(Map<String, Object> config, SubscriptionOptions options, Handler<Batch> onBatch) {
    return thread.<Void>executeBlocking(() -> {
      consumer = new KafkaConsumer<>(config);
      if (options.topic() != null) {
        consumer.subscribe(List.of(options.topic()), this);
      } else {
        consumer.subscribe(Pattern.compile(options.pattern()), this);
      }
      return null;
    }).onSuccess(v -> next(onBatch));
  }

  /** Stops polling and closes the consumer, which commits what is acknowledged (the listener's last revocation). */
  Future<Void> stop() {
    stopping = true;
    return step.transform(ar -> thread.<Void>executeBlocking(() -> {
      if (consumer != null) {
        consumer.close(CLOSE_TIMEOUT);
      }
      return null;
    })).eventually(thread::close);
  }

  private void next(Handler<Batch> onBatch) {
    if (stopping) {
      return;
    }
    step = thread.executeBlocking(this::pollOnce).onComplete(ar -> {
      if (ar.succeeded()) {
        try {
          onBatch.handle(ar.result());
        } catch (RuntimeException e) {
          LOG.error("subscription {}: handling a batch failed", name, e);
        }
        next(onBatch);
      } else {
        LOG.warn("subscription {}: poll failed, next in {} ms: {}", name, FAILED_POLL_PAUSE_MILLIS, ar.cause().toString());
        vertx.setTimer(FAILED_POLL_PAUSE_MILLIS, id -> next(onBatch));
      }
    });
  }

  private Batch pollOnce() {
    commitAcknowledged();
    applyPauses();
    boolean resumeSoon = progress.values().stream().anyMatch(PartitionProgress::resumeSoon);
    ConsumerRecords<String, String> records = consumer.poll(resumeSoon ? SHORT_POLL_TIMEOUT : POLL_TIMEOUT);
    progress.values().forEach(p -> {
      OptionalLong lag = consumer.currentLag(p.partition());
      if (lag.isPresent()) {
        long position = consumer.position(p.partition());
        p.fetched(position, position + lag.getAsLong());
      }
    });
    Batch batch = new Batch(Set.copyOf(revokedDuringPoll), List.copyOf(assignedDuringPoll), records);
    revokedDuringPoll.clear();
    assignedDuringPoll.clear();
    return batch;
  }

  private void commitAcknowledged() {
    Map<TopicPartition, OffsetAndMetadata> offsets = toCommit(progress.values(), false);
    if (!offsets.isEmpty()) {
      consumer.commitAsync(offsets, (committed, failure) -> {
        if (failure != null && !commitFailing) {
          LOG.warn("subscription {}: commit failed, asking again each poll: {}", name, failure.toString());
        } else if (failure == null && commitFailing) {
          LOG.info("subscription {}: commits succeed again", name);
        }
        commitFailing = failure != null;
        offsets.forEach((tp, offset) -> {
          PartitionProgress owned = progress.get(tp);
          if (owned != null && failure == null) {
            owned.committed(offset.offset());
          } else if (owned != null) {
            owned.commitFailed();
          }
        });
      });
    }
  }

  private void applyPauses() {
    Set<TopicPartition> paused = consumer.paused();
    List<TopicPartition> pause = new ArrayList<>();
    List<TopicPartition> resume = new ArrayList<>();
    progress.values().forEach(p -> {
      boolean isPaused = paused.contains(p.partition());
      if (p.pauseWanted() && !isPaused) {
        pause.add(p.partition());
      } else if (!p.pauseWanted() && isPaused) {
        resume.add(p.partition());
      }
    });
    consumer.pause(pause);
    consumer.resume(resume);
  }

  private static Map<TopicPartition, OffsetAndMetadata> toCommit(Collection<PartitionProgress> partitions,
                                                                  boolean confirmedOnly) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    partitions.forEach(p -> {
      long next = p.toCommit(confirmedOnly);
      if (next >= 0) {
        offsets.put(p.partition(), new OffsetAndMetadata(next));
      }
    });
    return offsets;
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    List<PartitionProgress> leaving = release(partitions);
    Map<TopicPartition, OffsetAndMetadata> offsets = toCommit(leaving, true);
    if (partitions.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets);
      LOG.info("subscription {}: revoked {}; committed before giving them up: {}", name, partitions,
        offsets.entrySet().stream().map(e -> e.getKey() + "@" + e.getValue().offset()).toList());
    } catch (KafkaException e) {
      LOG.warn("subscription {}: commit before revocation failed, records may be redelivered: {}", name,
        e.toString());
    }
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    release(partitions);
    LOG.warn("subscription {}: lost {} (not committed: another member owns them now)", name, partitions);
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    partitions.forEach(tp -> {
      PartitionProgress assigned = new PartitionProgress(tp);
      progress.put(tp, assigned);
      assignedDuringPoll.add(assigned);
    });
    if (!partitions.isEmpty()) {
      LOG.info("subscription {}: assigned {}", name, partitions);
    }
  }

  private List<PartitionProgress> release(Collection<TopicPartition> partitions) {
    List<PartitionProgress> released = new ArrayList<>();
    partitions.forEach(tp -> {
      PartitionProgress gone = progress.remove(tp);
      if (gone != null) {
        gone.revoke();
        released.add(gone);
      }
    });
    revokedDuringPoll.addAll(partitions);
    return released;
  }
}
