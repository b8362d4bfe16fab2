package io.meshnode.kafka;

import io.meshnode.contract.LocalEvents;
import io.meshnode.contract.MeshAddress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * Replays the durable queue to Kafka, oldest first, in {@link ReplayRound rounds} that stream the queue until it is
 * empty or a send fails. The first round, and each round after a failure, sends the head alone first (a probe: a
 * dead broker costs one send, not a batch). Messages are removed from disk only up to the last one of an unbroken
 * acknowledged prefix, so a failure resends, never skips. Failed rounds back off up to 30 s. Publishes the depth on
 * {@link MeshAddress#EVENTS_QUEUE} when it changes.
 */
final class QueueReplayer {

  private static final Logger LOG = LoggerFactory.getLogger(QueueReplayer.class);
  private static final long MAX_BACKOFF_MILLIS = 30_000;

  private final Vertx vertx;
  private final DurableQueue queue;
  private final Function<QueuedMessage, Future<?>> sender;
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
  private ReplayRound current;

  QueueReplayer(Vertx vertx, DurableQueue queue, Function<QueuedMessage, Future<?>> sender, int batch,
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
    if (current != null) {
      current.stop();
    }
  }

  /** The queue's depth and capacity, as {@link MeshAddress#EVENTS_QUEUE} publishes it. */
  JsonObject status() {
    return new JsonObject().put("depth", queue.depth()).put("capacity", capacity);
  }

  private void tick() {
    announceDepth();
    if (running) {
      LOG.info("replay: in progress, {} message(s) left", queue.depth()); // a round streams until the queue is empty
      return;
    }
    if (queue.depth() == 0 || System.nanoTime() < nextRoundNanos) {
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
    current = ReplayRound.start(queue, sender, batch, probeFirst);
    return current.outcome().andThen(ar -> probeFirst = ar.failed());
  }
}
