package io.meshnode.kafka;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.kafka.client.producer.RecordMetadata;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay round against a real durable queue; the sender stands in for the producer's send (its acks come back
 * on later turns of the context, late ones after a timer, as a producer's callbacks do), failing with kafka-clients'
 * own exception types.
 */
@ExtendWith(VertxExtension.class)
class ReplayRoundTest {

  private static final int BATCH = 4;
  private static final int QUEUED = 2 * ReplayRound.BATCHES_PER_REMOVAL * BATCH + 3;
  private static final LongFunction<Throwable> NO_FAILURE = seq -> null;

  @TempDir
  Path dir;

  private final Map<Long, Integer> attempts = new HashMap<>();

  private ReplayRound.Plan plan(Set<String> waiting, Set<String> probing) {
    return new ReplayRound.Plan(waiting, probing, false, attempts);
  }

  private ReplayRound.Plan plan() {
    return plan(Set.of(), Set.of());
  }

  @Test
  void shouldReplayEveryMessageInOrderWithBoundedBatchesInFlight(Vertx vertx, VertxTestContext testContext) {
    Context context = vertx.getOrCreateContext();
    Acks acks = new Acks(vertx, seq -> seq % 3 == 0, NO_FAILURE);
    context.runOnContext(v -> queueOf(vertx, QUEUED, i -> "orders")
      .compose(queue -> ReplayRound.start(queue, acks::send, BATCH, plan()).outcome()
        .compose(outcome -> queue.peek(QUEUED).map(left -> {
          testContext.verify(() -> {
            assertThat(outcome.replayed()).isEqualTo(QUEUED);
            assertThat(outcome.blocked()).isEmpty();
            assertThat(left).isEmpty();
            assertThat(acks.sent).containsExactlyElementsOf(LongStream.rangeClosed(1, QUEUED).boxed().toList());
            assertThat(acks.mostOutstanding).isGreaterThan(BATCH)
              .isLessThanOrEqualTo(ReplayRound.BATCHES_IN_FLIGHT * BATCH);
            assertThat(attempts).as("attempts forgotten once acknowledged").isEmpty();
          });
          return queue;
        }))
        .compose(DurableQueue::close))
      .onComplete(testContext.succeedingThenComplete()));
  }

  @Test
  void shouldKeepATopicQueuedFromItsFailedMessageOnWhileTheOtherTopicsGoOn(Vertx vertx, VertxTestContext testContext) {
    Context context = vertx.getOrCreateContext();
    // odd seqs are "slow", even seqs "fast"; slow's third message (seq 5) fails: no leader for its partition
    Acks acks = new Acks(vertx, seq -> seq == 3, seq -> seq == 5 ? new NotEnoughReplicasException("no ISR") : null);
    context.runOnContext(v -> queueOf(vertx, QUEUED, i -> i % 2 == 0 ? "slow" : "fast")
      .compose(queue -> ReplayRound.start(queue, acks::send, BATCH, plan()).outcome()
        .compose(outcome -> queue.peek(QUEUED).map(left -> {
          testContext.verify(() -> {
            assertThat(outcome.blocked()).containsOnlyKeys("slow");
            assertThat(outcome.succeeded()).containsExactly("fast");
            assertThat(left).extracting(QueuedMessage::seq).as("slow from its failed message on, in order")
              .containsExactlyElementsOf(LongStream.rangeClosed(5, QUEUED).filter(seq -> seq % 2 == 1).boxed().toList());
            assertThat(acks.sent).as("every fast message sent").containsAll(
              LongStream.rangeClosed(1, QUEUED).filter(seq -> seq % 2 == 0).boxed().toList());
          });
          return queue;
        }))
        .compose(DurableQueue::close))
      .onComplete(testContext.succeedingThenComplete()));
  }

  @Test
  void shouldBuryAMessageKafkaRefusesForGoodAndGoOnWithItsTopic(Vertx vertx, VertxTestContext testContext) {
    Context context = vertx.getOrCreateContext();
    Acks acks = new Acks(vertx, seq -> false, seq -> seq == 2 ? new RecordTooLargeException("too large") : null);
    context.runOnContext(v -> queueOf(vertx, 10, i -> "orders")
      .compose(queue -> ReplayRound.start(queue, acks::send, BATCH, plan()).outcome()
        .compose(outcome -> queue.deadLetters(10).map(dead -> {
          testContext.verify(() -> {
            assertThat(outcome.replayed()).isEqualTo(9);
            assertThat(outcome.buried()).hasSize(1);
            assertThat(outcome.blocked()).isEmpty();
            assertThat(queue.depth()).isZero();
            assertThat(queue.deadCount()).isEqualTo(1);
            assertThat(dead).singleElement().satisfies(letter -> {
              assertThat(letter.message().id()).isEqualTo("m1");
              assertThat(letter.reason()).isEqualTo("RecordTooLargeException");
              assertThat(letter.error()).isEqualTo("too large");
              assertThat(letter.attempts()).isEqualTo(1);
            });
          });
          return queue;
        }))
        .compose(DurableQueue::close))
      .onComplete(testContext.succeedingThenComplete()));
  }

  @Test
  void shouldSkipWaitingTopicsAndSendAProbedTopicsFirstMessageAlone(Vertx vertx, VertxTestContext testContext) {
    Context context = vertx.getOrCreateContext();
    Acks acks = new Acks(vertx, seq -> false, NO_FAILURE);
    context.runOnContext(v -> queueOf(vertx, 12, i -> List.of("waiting", "probed", "free").get(i % 3))
      .compose(queue -> ReplayRound.start(queue, acks::send, BATCH, plan(Set.of("waiting"), Set.of("probed")))
        .outcome()
        .compose(outcome -> queue.peek(12).map(left -> {
          testContext.verify(() -> {
            assertThat(acks.sent).containsExactly(2L, 3L, 6L, 9L, 12L);
            assertThat(outcome.succeeded()).containsExactlyInAnyOrder("probed", "free");
            assertThat(left).extracting(QueuedMessage::seq).containsExactly(1L, 4L, 5L, 7L, 8L, 10L, 11L);
          });
          return queue;
        }))
        .compose(DurableQueue::close))
      .onComplete(testContext.succeedingThenComplete()));
  }

  @Test
  void shouldSendEachTopicsFirstMessageAloneUntilKafkaTakesARecord(Vertx vertx, VertxTestContext testContext) {
    Context context = vertx.getOrCreateContext();
    Acks acks = new Acks(vertx, seq -> false, seq -> new NotEnoughReplicasException("broker gone"));
    context.runOnContext(v -> queueOf(vertx, 12, i -> i % 2 == 0 ? "a" : "b")
      .compose(queue -> ReplayRound.start(queue, acks::send, BATCH, new ReplayRound.Plan(Set.of(), Set.of(), true,
          attempts)).outcome()
        .compose(outcome -> {
          testContext.verify(() -> {
            assertThat(acks.sent).containsExactly(1L, 2L);
            assertThat(outcome.blocked()).containsOnlyKeys("a", "b");
            assertThat(queue.depth()).isEqualTo(12);
          });
          return queue.close();
        }))
      .onComplete(testContext.succeedingThenComplete()));
  }

  @Test
  void shouldCountAttemptsAcrossRoundsOfAHeldBackTopic(Vertx vertx, VertxTestContext testContext) {
    Context context = vertx.getOrCreateContext();
    Acks failing = new Acks(vertx, seq -> false, seq -> new NotEnoughReplicasException("no ISR"));
    Acks refusing = new Acks(vertx, seq -> false, seq -> new RecordTooLargeException("too large"));
    context.runOnContext(v -> queueOf(vertx, 1, i -> "orders")
      .compose(queue -> ReplayRound.start(queue, failing::send, BATCH, plan()).outcome()
        .compose(first -> ReplayRound.start(queue, refusing::send, BATCH, plan(Set.of(), Set.of("orders"))).outcome())
        .compose(second -> queue.deadLetters(1).map(dead -> {
          testContext.verify(() -> assertThat(dead).singleElement()
            .satisfies(letter -> assertThat(letter.attempts()).isEqualTo(2)));
          return queue;
        }))
        .compose(DurableQueue::close))
      .onComplete(testContext.succeedingThenComplete()));
  }

  private Future<DurableQueue> queueOf(Vertx vertx, int count, IntFunction<String> topic) {
    return DurableQueue.open(vertx, new DurableQueueOptions().setPath(dir.resolve("queue.db").toString()))
      .compose(queue -> {
        List<Future<QueuedMessage>> stored = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          stored.add(queue.enqueue(QueuedMessage.unstored("m" + i, topic.apply(i), null, "value " + i, null)));
        }
        return Future.all(stored).map(queue);
      });
  }

  /** Acknowledges each send on a later turn of the context, or after a timer when late; fails the ones asked. */
  private static final class Acks {
    private final Vertx vertx;
    private final LongPredicate late;
    private final LongFunction<Throwable> failure;
    private final List<Long> sent = new ArrayList<>();
    private int outstanding;
    private int mostOutstanding;

    Acks(Vertx vertx, LongPredicate late, LongFunction<Throwable> failure) {
      this.vertx = vertx;
      this.late = late;
      this.failure = failure;
    }

    Future<RecordMetadata> send(QueuedMessage message) {
      sent.add(message.seq());
      mostOutstanding = Math.max(mostOutstanding, ++outstanding);
      Promise<RecordMetadata> ack = Promise.promise();
      Runnable settle = () -> {
        outstanding--;
        Throwable refused = failure.apply(message.seq());
        if (refused != null) {
          ack.fail(refused);
        } else {
          ack.complete(new RecordMetadata());
        }
      };
      if (late.test(message.seq())) {
        vertx.setTimer(20, id -> settle.run());
      } else {
        vertx.getOrCreateContext().runOnContext(v -> settle.run());
      }
      return ack.future();
    }
  }
}
