package io.meshnode.chaos;

import io.meshnode.client.MeshClient;
import io.meshnode.client.MeshReply;
import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshFailure;
import io.meshnode.contract.MeshField;
import io.meshnode.support.Poll;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Sends one request to every public address each interval, through the typed client and the node's configured
 * deadlines, and records what became of each one ({@link Answer}). Valid requests only: Kafka publishes to the
 * scenario's topic; PostgreSQL reads and writes on the {@code mesh_events} table (so that a lock on it slows them
 * all); Redis SET, GET and DEL over a small key space, so that reads find what the fallback cache learnt.
 */
final class LoadDriver {

  /** The contract codes a failure may carry. */
  private static final Set<Integer> CONTRACT_CODES = Set.of(MeshFailure.BAD_REQUEST, MeshFailure.NOT_FOUND,
    MeshFailure.INTERNAL, MeshFailure.UNAVAILABLE, MeshFailure.DEADLINE_EXCEEDED, MeshFailure.QUEUE_FULL);
  private static final int KEYS = 50;

  private final Vertx vertx;
  private final MeshClient mesh;
  private final String topic;
  private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final Map<Integer, Answer> pending = new ConcurrentHashMap<>();
  private final AtomicInteger sequence = new AtomicInteger();
  private long timer = -1;
  private int round;

  LoadDriver(Vertx vertx, String topic) {
    this.vertx = vertx;
    this.mesh = MeshClient.create(vertx);
    this.topic = topic;
  }

  /** Starts sending, one round of five requests each {@code intervalMillis}. */
  void start(long intervalMillis) {
    timer = vertx.setPeriodic(intervalMillis, id -> sendRound());
  }

  /**
   * Stops sending and waits up to {@code graceMillis} for the requests still out; those never answered are recorded
   * as {@link Answer.Kind#UNANSWERED}. Completes with every request's answer.
   */
  Future<List<Answer>> stop(long graceMillis) {
    vertx.cancelTimer(timer);
    return Poll.until(vertx, "every request of the load answered", graceMillis,
        () -> Future.succeededFuture(pending.isEmpty()))
      .otherwiseEmpty()
      .map(v -> {
        List<Answer> all = new ArrayList<>(answers);
        pending.values().forEach(started -> all.add(new Answer(started.address(), started.startedAt(), -1,
          Answer.Kind.UNANSWERED, 0, 0, null, "no answer within " + graceMillis + " ms after the load stopped")));
        return all;
      });
  }

  private void sendRound() {
    int n = round++;
    String key = "chaos:" + (n % KEYS);
    send(MeshAddress.KAFKA_PUBLISH, () -> mesh.kafka().publish(topic, "k" + n, "v" + n));
    send(MeshAddress.PG_QUERY, () -> switch (n % 3) {
      case 0 -> mesh.postgres().query("insert_event", "chaos", "n" + n);
      case 1 -> mesh.postgres().query("events_by_kind", "chaos", 5);
      default -> mesh.postgres().query("count_events");
    });
    send(MeshAddress.REDIS_SET, () -> mesh.redis().set(key, "v" + n, 600));
    send(MeshAddress.REDIS_GET, () -> mesh.redis().get(key));
    send(MeshAddress.REDIS_DEL, () -> mesh.redis().del("chaos:" + ((n + KEYS / 2) % KEYS)));
  }

  private void send(String address, Supplier<Future<MeshReply>> request) {
    int slot = sequence.getAndIncrement();
    long startedAt = System.currentTimeMillis();
    long startNanos = System.nanoTime();
    Answer started = new Answer(address, startedAt, -1, Answer.Kind.UNANSWERED, 0, 0, null, null);
    pending.put(slot, started);
    request.get().onComplete(ar -> {
      long latency = (System.nanoTime() - startNanos) / 1_000_000;
      answers.add(ar.succeeded() ? replied(started, latency, ar.result()) : failed(started, latency, ar.cause()));
      pending.remove(slot);
    });
  }

  private static Answer replied(Answer started, long latency, MeshReply reply) {
    String status = reply.body().getString(MeshField.STATUS);
    String messageId = MeshAddress.KAFKA_PUBLISH.equals(started.address())
      ? reply.body().getString(MeshField.ID) : null;
    return new Answer(started.address(), started.startedAt(), latency,
      reply.fallback() ? Answer.Kind.FALLBACK : Answer.Kind.PRIMARY, 0, reply.attempts(), messageId, status);
  }

  private static Answer failed(Answer started, long latency, Throwable failure) {
    boolean coded = failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
      && CONTRACT_CODES.contains(reply.failureCode());
    return new Answer(started.address(), started.startedAt(), latency,
      coded ? Answer.Kind.CODED : Answer.Kind.UNCODED, coded ? ((ReplyException) failure).failureCode() : 0, 0, null,
      String.valueOf(failure.getMessage()));
  }
}
