package io.meshnode.kafka;

import io.meshnode.contract.Blame;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One replay round: streams the durable queue to Kafka oldest first without stopping between batches, batches read
 * ahead while earlier ones are in flight (at most {@link #BATCHES_IN_FLIGHT}), and the acknowledged messages removed
 * from disk as they add up, one fsynced removal every {@link #BATCHES_PER_REMOVAL} batches or when nothing is in
 * flight.
 *
 * <p>Order is kept per topic, and one topic never holds back another:
 * <ul>
 *   <li>a message Kafka refuses for good ({@link Blame#CALLER}, by {@link KafkaFailures}) is buried in the dead-letter
 *       store, and the messages behind it go on;</li>
 *   <li>any other failure blocks its topic for the rest of the round: its messages from the failed one on stay queued
 *       (those already acknowledged too, so a failure resends, never skips), and none of its later messages is sent;
 *       the other topics go on;</li>
 *   <li>a topic the replayer holds back ({@link Plan#waiting}) is skipped; a topic it probes ({@link Plan#probing},
 *       or every topic until Kafka has taken a record: {@link Plan#probeAll}) gets its first message sent alone, so
 *       that a broker that does not answer costs one send per topic.</li>
 * </ul>
 * The idempotent producer keeps the order of the pipelined sends per partition. Runs on one Vert.x context: every
 * callback of the queue and the sender must come back on it.
 */
final class ReplayRound {

  /** Batches of sends kept outstanding, so that the producer does not run dry while a read waits behind a removal. */
  static final int BATCHES_IN_FLIGHT = 4;
  /** Acknowledged batches per fsynced removal (or fewer when nothing is in flight): what a crash may resend. */
  static final int BATCHES_PER_REMOVAL = 8;

  /**
   * What the replayer asks of a round.
   *
   * @param waiting  topics not to send this round (their backoff has not elapsed)
   * @param probing  topics whose first message is sent alone (they failed before)
   * @param probeAll every topic's first message is sent alone: nothing has shown yet that Kafka takes records
   * @param attempts sends made so far per seq, counted up by the round and given to dead letters; the replayer owns it
   */
  record Plan(Set<String> waiting, Set<String> probing, boolean probeAll, Map<Long, Integer> attempts) {
  }

  /**
   * What a round did.
   *
   * @param replayed  messages Kafka acknowledged and removed
   * @param buried    the messages Kafka refused for good, set aside as dead letters
   * @param blocked   topics whose send failed otherwise, with the failure; they stay queued
   * @param succeeded topics with at least one acknowledged message and no failure this round
   */
  record Outcome(int replayed, List<DeadLetter> buried, Map<String, Throwable> blocked, Set<String> succeeded) {
    boolean madeProgress() {
      return replayed > 0 || !buried.isEmpty();
    }
  }

  private record Sent(QueuedMessage message, Future<?> ack) {
  }

  private final DurableQueue queue;
  private final Function<QueuedMessage, Future<?>> sender;
  private final int batch;
  private final Plan plan;
  private final Promise<Outcome> outcome = Promise.promise();
  /** Sends not yet settled into removal, burial or a block, per topic, in seq order. */
  private final Map<String, ArrayDeque<Sent>> unsettled = new HashMap<>();
  private final Map<String, Throwable> blocked = new HashMap<>();
  private final Set<String> succeeded = new HashSet<>();
  /** Probed topics whose probe is out: nothing more of theirs is sent this round. */
  private final Set<String> probed = new HashSet<>();
  private final List<Long> removable = new ArrayList<>();
  private final List<DeadLetter> buryable = new ArrayList<>();
  private boolean reading;
  private boolean drained;
  private boolean writing;
  private boolean stopped;
  private Throwable storeFailure;
  private int outstanding;
  private long lastReadSeq;
  private int replayed;
  private final List<DeadLetter> buried = new ArrayList<>();

  private ReplayRound(DurableQueue queue, Function<QueuedMessage, Future<?>> sender, int batch, Plan plan) {
    this.queue = queue;
    this.sender = sender;
    this.batch = batch;
    this.plan = plan;
  }

  /**
   * Starts a round on the caller's context.
   *
   * @param queue  the queue to replay
   * @param sender publishes one message to Kafka; its future completes on the caller's context
   * @param batch  messages read per batch, {@code > 0}
   * @param plan   the topics to skip or probe, and the attempts counted so far
   * @return the round, whose {@link #outcome()} says what it did
   */
  static ReplayRound start(DurableQueue queue, Function<QueuedMessage, Future<?>> sender, int batch, Plan plan) {
    ReplayRound round = new ReplayRound(queue, sender, batch, plan);
    round.step();
    return round;
  }

  /** What the round did, once everything it sent has settled and been removed or buried; a failure of the file. */
  Future<Outcome> outcome() {
    return outcome.future();
  }

  /** Reads nothing more: the round ends once what is in flight has settled and been removed or buried. */
  void stop() {
    stopped = true;
    step();
  }

  private void step() {
    if (outcome.future().isComplete()) {
      return;
    }
    write();
    readMore();
    boolean nothingMoreToSend = storeFailure != null || drained || stopped;
    boolean written = storeFailure != null || removable.isEmpty() && buryable.isEmpty();
    if (nothingMoreToSend && outstanding == 0 && !reading && !writing && written) {
      if (storeFailure != null) {
        outcome.fail(storeFailure);
      } else {
        succeeded.removeAll(blocked.keySet());
        outcome.complete(new Outcome(replayed, buried, blocked, succeeded));
      }
    }
  }

  private void readMore() {
    boolean windowFull = outstanding > (BATCHES_IN_FLIGHT - 1) * batch;
    if (reading || windowFull || storeFailure != null || drained || stopped) {
      return;
    }
    reading = true;
    queue.peekAfter(lastReadSeq, batch).onComplete(read -> {
      if (read.failed()) {
        storeFailure = storeFailure == null ? read.cause() : storeFailure;
      } else if (read.result().isEmpty()) {
        drained = true;
      } else if (storeFailure == null && !stopped) {
        read.result().forEach(this::sendIfItsTurn);
      }
      reading = false; // only now: an ack that completes at once must not start a read in the middle of the batch
      step();
    });
  }

  private void sendIfItsTurn(QueuedMessage message) {
    lastReadSeq = message.seq();
    String topic = message.topic();
    if (blocked.containsKey(topic) || plan.waiting().contains(topic) || probed.contains(topic)) {
      return;
    }
    if (plan.probeAll() || plan.probing().contains(topic)) {
      probed.add(topic);
    }
    plan.attempts().merge(message.seq(), 1, Integer::sum);
    Future<?> ack = send(message);
    outstanding++;
    unsettled.computeIfAbsent(topic, t -> new ArrayDeque<>()).add(new Sent(message, ack));
    ack.onComplete(settled -> {
      outstanding--;
      settle(topic);
      step();
    });
  }

  private Future<?> send(QueuedMessage message) {
    try {
      return sender.apply(message);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Settles the topic's sends from the oldest on, as far as they are complete: removed, buried or blocked. */
  private void settle(String topic) {
    ArrayDeque<Sent> sends = unsettled.get(topic);
    while (sends != null && !sends.isEmpty() && sends.peek().ack().isComplete() && !blocked.containsKey(topic)) {
      Sent head = sends.poll();
      long seq = head.message().seq();
      if (head.ack().succeeded()) {
        removable.add(seq);
        succeeded.add(topic);
        plan.attempts().remove(seq);
        continue;
      }
      Throwable failure = head.ack().cause();
      if (KafkaFailures.blame(failure) == Blame.CALLER) {
        buryable.add(new DeadLetter(head.message(), failure.getClass().getSimpleName(), failure.getMessage(),
          plan.attempts().getOrDefault(seq, 1), System.currentTimeMillis()));
        plan.attempts().remove(seq);
      } else {
        blocked.put(topic, failure);
        sends.clear(); // stays queued, from the failed message on, to be resent in order
      }
    }
  }

  /** One removal or burial at a time, removals once enough have been acknowledged (or nothing is in flight). */
  private void write() {
    if (writing || storeFailure != null) {
      return;
    }
    if (!buryable.isEmpty()) {
      List<DeadLetter> letters = List.copyOf(buryable);
      buryable.clear();
      writing = true;
      queue.bury(letters).onComplete(done -> {
        writing = false;
        if (done.succeeded()) {
          buried.addAll(letters);
        } else {
          storeFailure = storeFailure == null ? done.cause() : storeFailure;
        }
        step();
      });
      return;
    }
    boolean worthAFsync = removable.size() >= BATCHES_PER_REMOVAL * batch || outstanding == 0;
    if (removable.isEmpty() || !worthAFsync) {
      return;
    }
    List<Long> seqs = List.copyOf(removable);
    removable.clear();
    writing = true;
    queue.remove(seqs).onComplete(done -> {
      writing = false;
      if (done.succeeded()) {
        replayed += done.result();
      } else {
        storeFailure = storeFailure == null ? done.cause() : storeFailure;
      }
      step();
    });
  }
}
