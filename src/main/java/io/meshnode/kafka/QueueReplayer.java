package io.meshnode.kafka;

import io.meshnode.contract.LocalEvents;
import io.meshnode.contract.MeshAddress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Replays the durable queue to Kafka, oldest first. The first round, and each round after a failure, sends the head
 * alone first (a probe: a dead broker costs one send, not a batch); otherwise a round sends its whole batch pipelined
 * (the idempotent producer keeps their order per partition); messages are removed from disk only up to the last one of an unbroken acknowledged prefix, so a
 * failure resends, never skips. Failed rounds back off up to 30 s. Publishes the depth on
 * {@link MeshAddress#EVENTS_QUEUE} when it changes.
 */
final class QueueReplayer {

  private static final Logger LOG = LoggerFactory.getLogger(QueueReplayer.class);
  private static final long MAX_BACKOFF_MILLIS = 30_000;

  private final Vertx vertx;
  private final DurableQueue queue;
  private final Function<QueuedMessage, Future<RecordMetadata>> sender;
  private final int batch;
  private final long intervalMillis;
  private final int capacity;
  private long timer = -1;
  private boolean running;
  private long backoffMillis;
  private long nextRoundNanos;
  private long announcedDepth = -1;
  /** After a failed round the next one sends the head alone first; while rounds succeed, whole batches go at once. */
  private boolean probeFirst = true;

  QueueReplayer(Vertx vertx, DurableQueue queue, Function<QueuedMessage, Future<RecordMetadata>> sender, int batch,
                long intervalMillis, int capacity) {
    this.vertx = vertx;
    this.queue = queue;
    this.sender = sender;
    this.batch = batch;
    this.intervalMillis = intervalMillis;
    this.capacity = capacity;
    this.backoffMillis = intervalMillis;
  }

  void start() {
    timer = vertx.setPeriodic(intervalMillis, id -> tick());
    announceDepth();
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  /** The queue's depth and capacity, as {@link MeshAddress#EVENTS_QUEUE} publishes it. */
  JsonObject status() {
    return new JsonObject().put("depth", queue.depth()).put("capacity", capacity);
  }

  private void tick() {
    announceDepth();
    if (running || queue.depth() == 0 || System.nanoTime() < nextRoundNanos) {
      return;
    }
    running = true;
    replayRound().onComplete(ar -> {
      running = false;
      if (ar.succeeded()) {
        backoffMillis = intervalMillis;
        if (ar.result() > 0) {
          LOG.info("replay: {} queued message(s) published to Kafka, {} left", ar.result(), queue.depth());
          vertx.runOnContext(v -> tick());
        }
      } else {
        LOG.warn("replay: Kafka still unavailable, next try in {} ms: {}", backoffMillis, ar.cause().getMessage());
        nextRoundNanos = System.nanoTime() + backoffMillis * 1_000_000;
        backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
      }
    });
  }

  private void announceDepth() {
    long depth = queue.depth();
    if (depth != announcedDepth) {
      announcedDepth = depth;
      LocalEvents.publish(vertx, MeshAddress.EVENTS_QUEUE, status());
    }
  }

  /** One round: the number of messages replayed. */
  private Future<Integer> replayRound() {
    return queue.peek(batch).compose(messages -> {
      if (messages.isEmpty()) {
        return Future.succeededFuture(0);
      }
      if (!probeFirst) {
        return replayPipelined(messages);
      }
      QueuedMessage head = messages.get(0);
      return sender.apply(head)
        .compose(ack -> queue.removeUpTo(head.seq()))
        .compose(removed -> replayPipelined(messages.subList(1, messages.size())))
        .map(rest -> rest + 1);
    }).andThen(ar -> probeFirst = ar.failed());
  }

  private Future<Integer> replayPipelined(List<QueuedMessage> messages) {
    List<Future<RecordMetadata>> sends = new ArrayList<>(messages.size());
    messages.forEach(message -> sends.add(sender.apply(message)));
    return Future.join(sends).transform(all -> {
      int acknowledged = 0;
      while (acknowledged < sends.size() && sends.get(acknowledged).succeeded()) {
        acknowledged++;
      }
      int count = acknowledged;
      Future<Integer> removal = count == 0 ? Future.succeededFuture(0)
        : queue.removeUpTo(messages.get(count - 1).seq()).map(count);
      return all.succeeded() ? removal : removal.compose(v -> Future.failedFuture(all.cause()));
    });
  }
}
