package io.meshnode.kafka;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Function;

/**
 * One replay round: streams the durable queue to Kafka oldest first without stopping between batches. Batches are
 * read ahead while earlier ones are in flight (at most {@link #BATCHES_IN_FLIGHT}), and the acknowledged prefix is
 * removed from disk as it grows, one fsynced removal at a time, every {@link #BATCHES_PER_REMOVAL} batches or when
 * nothing is in flight. A probe round sends the head alone first and reads on only once Kafka acknowledged it, so a
 * dead broker costs one send.
 *
 * <p>Only an unbroken prefix of acknowledged sends is ever removed: once a send fails, nothing is read or sent any
 * more, the round waits for every outstanding send and for the removal of the prefix before it, and fails, so a
 * failure resends, never skips. The idempotent producer keeps the order of the pipelined sends per partition.
 * Runs on one Vert.x context: every callback of the queue and the sender must come back on it.
 */
final class ReplayRound {

  /**
   * Batches of sends kept outstanding: enough that the producer does not run dry while a read waits behind a
   * removal's fsync on the queue's one I/O thread (BENCHMARKS.md, seventh round).
   */
  static final int BATCHES_IN_FLIGHT = 4;
  /** Acknowledged batches per fsynced removal (or fewer when nothing is in flight): what a crash may resend. */
  static final int BATCHES_PER_REMOVAL = 8;

  private record Sent(long seq, Future<?> ack) {
  }

  private final DurableQueue queue;
  private final Function<QueuedMessage, Future<?>> sender;
  private final int batch;
  private final Promise<Integer> outcome = Promise.promise();
  /** Sends not yet part of the acknowledged prefix, in seq order. */
  private final ArrayDeque<Sent> unacknowledged = new ArrayDeque<>();
  private boolean probing;
  private boolean reading;
  private boolean drained;
  private boolean removing;
  private boolean stopped;
  /** A send failed: read no more, even before the prefix reaches it. */
  private boolean sendFailed;
  /** The file refused a removal: try no other this round. */
  private boolean removalFailed;
  private Throwable failure;
  private int outstanding;
  private long lastSentSeq;
  private long acknowledgedSeq;
  /** Acknowledged messages not yet handed to a removal. */
  private int unremoved;
  private int removed;

  private ReplayRound(DurableQueue queue, Function<QueuedMessage, Future<?>> sender, int batch,
                      boolean probeFirst) {
    this.queue = queue;
    this.sender = sender;
    this.batch = batch;
    this.probing = probeFirst;
  }

  /**
   * Starts a round on the caller's context.
   *
   * @param queue      the queue to replay
   * @param sender     publishes one message to Kafka; its future completes on the caller's context
   * @param batch      messages read per batch, {@code > 0}
   * @param probeFirst whether to send the head alone before anything else
   * @return the round, whose {@link #outcome()} is the number of messages replayed and removed
   */
  static ReplayRound start(DurableQueue queue, Function<QueuedMessage, Future<?>> sender, int batch,
                           boolean probeFirst) {
    ReplayRound round = new ReplayRound(queue, sender, batch, probeFirst);
    round.step();
    return round;
  }

  /** The number of messages replayed; a failure once the acknowledged prefix before the first failed send is removed. */
  Future<Integer> outcome() {
    return outcome.future();
  }

  /** Reads nothing more: the round ends once what is in flight has settled and its acknowledged prefix is removed. */
  void stop() {
    stopped = true;
    step();
  }

  private void step() {
    if (outcome.future().isComplete()) {
      return;
    }
    removeAcknowledged();
    readMore();
    boolean nothingMoreToSend = failure != null || drained || stopped;
    if (nothingMoreToSend && outstanding == 0 && !reading && !removing) {
      if (failure != null) {
        outcome.fail(failure);
      } else {
        outcome.complete(removed);
      }
    }
  }

  private void readMore() {
    boolean windowFull = probing ? outstanding > 0 : outstanding > (BATCHES_IN_FLIGHT - 1) * batch;
    if (reading || windowFull || failure != null || sendFailed || drained || stopped) {
      return;
    }
    reading = true;
    queue.peekAfter(lastSentSeq, probing ? 1 : batch).onComplete(read -> {
      if (read.failed()) {
        failure = failure == null ? read.cause() : failure;
      } else if (read.result().isEmpty()) {
        drained = true;
      } else if (failure == null && !sendFailed && !stopped) {
        sendAll(read.result());
      }
      reading = false; // only now: an ack that completes at once must not start a read in the middle of the batch
      step();
    });
  }

  private void sendAll(List<QueuedMessage> messages) {
    for (QueuedMessage message : messages) {
      Future<?> ack = send(message);
      outstanding++;
      lastSentSeq = message.seq();
      unacknowledged.add(new Sent(message.seq(), ack));
      ack.onComplete(settled -> {
        outstanding--;
        sendFailed |= settled.failed();
        advancePrefix();
        step();
      });
    }
  }

  private Future<?> send(QueuedMessage message) {
    try {
      return sender.apply(message);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private void advancePrefix() {
    while (failure == null && !unacknowledged.isEmpty() && unacknowledged.peek().ack().isComplete()) {
      Sent head = unacknowledged.poll();
      if (head.ack().failed()) {
        failure = head.ack().cause();
      } else {
        acknowledgedSeq = head.seq();
        unremoved++;
        probing = false;
      }
    }
  }

  private void removeAcknowledged() {
    boolean worthAFsync = unremoved >= BATCHES_PER_REMOVAL * batch || outstanding == 0;
    if (removing || removalFailed || unremoved == 0 || !worthAFsync) {
      return;
    }
    unremoved = 0;
    removing = true;
    long upTo = acknowledgedSeq;
    queue.removeUpTo(upTo).onComplete(removal -> {
      removing = false;
      if (removal.succeeded()) {
        removed += removal.result();
      } else {
        failure = failure == null ? removal.cause() : failure;
        removalFailed = true;
      }
      step();
    });
  }
}
