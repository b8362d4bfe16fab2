package io.meshnode.kafka;

import io.meshnode.contract.LocalEvents;
import io.meshnode.contract.MeshAddress;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Replays the durable queue to Kafka unless Kafka's dependency probe last went unanswered, oldest first, in
 * {@link ReplayRound rounds} that stream the queue through. Order is kept per topic and no topic holds back another:
 * a message Kafka refuses for good becomes a dead letter, and a topic whose send fails otherwise is held back — its
 * next round sends its first message alone, after a backoff that doubles up to 30 s — while the others go on. Until
 * Kafka has taken a record (after a start, or once every send of a round failed) each topic sends its first message
 * alone: a broker that does not answer costs one send per topic, not a window of them.
 *
 * <p>On every tick it publishes the queue's status on {@link MeshAddress#EVENTS_QUEUE} when it changed:
 * {@code {depth, capacity, dead, oldest_age_seconds, stalled}}; {@code stalled} when the oldest message has not moved
 * for {@link #STALL_ROUNDS} rounds while Kafka answers.
 */
final class QueueReplayer {

  private static final Logger LOG = LoggerFactory.getLogger(QueueReplayer.class);
  private static final long MAX_BACKOFF_MILLIS = 30_000;
  /** Rounds run while Kafka answers without the oldest message leaving, after which the queue is stalled. */
  static final int STALL_ROUNDS = 5;

  /** A topic held back: when it may be tried again, and the backoff after that. */
  private record HeldBack(long retryAtNanos, long backoffMillis) {
  }

  private final Vertx vertx;
  private final DurableQueue queue;
  private final Function<QueuedMessage, Future<?>> sender;
  private final BooleanSupplier kafkaAnswers;
  private final QueueMetrics metrics;
  private final int batch;
  private final long intervalMillis;
  private final int capacity;
  private final Map<String, HeldBack> heldBack = new HashMap<>();
  private final Map<Long, Integer> attempts = new HashMap<>();
  private long timer = -1;
  private boolean running;
  private boolean stopped;
  private ReplayRound current;
  private JsonObject announced;
  private QueueHead head;
  private long headAtLastRound = -1;
  private int roundsWithHeadStill;
  private volatile double oldestAgeSeconds;
  /** Whether Kafka took a record since the replayer started or last saw it fail them all: else every topic probes. */
  private boolean kafkaTakesRecords;

  QueueReplayer(Vertx vertx, DurableQueue queue, Function<QueuedMessage, Future<?>> sender,
                BooleanSupplier kafkaAnswers, MeterRegistry registry, int batch, long intervalMillis, int capacity) {
    this.vertx = vertx;
    this.queue = queue;
    this.sender = sender;
    this.kafkaAnswers = kafkaAnswers;
    this.metrics = new QueueMetrics(registry, queue, () -> oldestAgeSeconds);
    this.batch = batch;
    this.intervalMillis = intervalMillis;
    this.capacity = capacity;
  }

  void start() {
    timer = vertx.setPeriodic(intervalMillis, id -> tick());
    tick();
  }

  void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    if (current != null) {
      current.stop();
    }
    metrics.close();
  }

  /** The queue's status, as {@link MeshAddress#EVENTS_QUEUE} publishes it. */
  JsonObject status() {
    return new JsonObject()
      .put("depth", queue.depth())
      .put("capacity", capacity)
      .put("dead", queue.deadCount())
      .put("oldest_age_seconds", (long) oldestAgeSeconds)
      .put("stalled", isStalled());
  }

  private boolean isStalled() {
    return roundsWithHeadStill >= STALL_ROUNDS;
  }

  private void tick() {
    queue.head().onComplete(read -> {
      if (stopped) {
        return;
      }
      if (read.succeeded()) {
        head = read.result();
        oldestAgeSeconds = head == null ? 0 : Math.max(0, System.currentTimeMillis() - head.enqueuedAtMillis()) / 1e3;
      }
      announce();
      if (!running) {
        startRound();
      }
    });
  }

  /** Publishes the status if it changed since it was last published. */
  void announce() {
    JsonObject status = status();
    if (!status.equals(announced)) {
      announced = status;
      LocalEvents.publish(vertx, MeshAddress.EVENTS_QUEUE, status);
    }
  }

  private void startRound() {
    if (!kafkaAnswers.getAsBoolean()) {
      kafkaTakesRecords = false;
    }
    if (head == null || queue.depth() == 0 || !kafkaAnswers.getAsBoolean()) {
      roundsWithHeadStill = 0;
      headAtLastRound = -1;
      return;
    }
    long now = System.nanoTime();
    Set<String> waiting = heldBack.entrySet().stream().filter(e -> now - e.getValue().retryAtNanos() < 0)
      .map(Map.Entry::getKey).collect(Collectors.toSet());
    Set<String> probing = heldBack.keySet().stream().filter(topic -> !waiting.contains(topic))
      .collect(Collectors.toSet());
    roundsWithHeadStill = head.seq() == headAtLastRound ? roundsWithHeadStill + 1 : 0;
    headAtLastRound = head.seq();
    running = true;
    current = ReplayRound.start(queue, sender, batch,
      new ReplayRound.Plan(waiting, probing, !kafkaTakesRecords, attempts));
    current.outcome().onComplete(ar -> {
      running = false;
      current = null;
      if (ar.failed()) {
        LOG.error("replay: the durable queue's file failed, next try in {} ms", intervalMillis, ar.cause());
        return;
      }
      ReplayRound.Outcome outcome = ar.result();
      settle(outcome);
      if (outcome.madeProgress() && queue.depth() > 0) {
        vertx.runOnContext(v -> tick()); // streams on while it gets through, instead of waiting for the next tick
      } else {
        announce();
      }
    });
  }

  private void settle(ReplayRound.Outcome outcome) {
    if (!outcome.succeeded().isEmpty()) {
      kafkaTakesRecords = true;
    } else if (!outcome.blocked().isEmpty()) {
      kafkaTakesRecords = false;
    }
    outcome.succeeded().forEach(heldBack::remove);
    outcome.blocked().forEach((topic, failure) -> {
      HeldBack before = heldBack.get(topic);
      long backoff = before == null ? intervalMillis : Math.min(before.backoffMillis() * 2, MAX_BACKOFF_MILLIS);
      heldBack.put(topic, new HeldBack(System.nanoTime() + backoff * 1_000_000, backoff));
      LOG.warn("replay: topic {} held back for {} ms, the other topics go on: {}", topic, backoff,
        failure.getMessage());
    });
    if (!outcome.buried().isEmpty()) {
      outcome.buried().forEach(letter -> metrics.deadLettered(letter.reason()));
      LOG.warn("replay: {} queued message(s) refused by Kafka for good, set aside as dead letters "
        + "(bin/mesh-node queue dead lists them): {}", outcome.buried().size(), outcome.buried().get(0).error());
    }
    if (outcome.replayed() > 0) {
      LOG.info("replay: {} queued message(s) published to Kafka, {} left", outcome.replayed(), queue.depth());
    }
  }
}
