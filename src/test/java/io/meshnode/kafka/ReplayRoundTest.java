package io.meshnode.kafka;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.kafka.client.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay round against a real durable queue; the sender stands in for the producer's send (its acks come back
 * on later turns of the context, late ones after a timer, as a producer's callbacks do).
 */
@ExtendWith(VertxExtension.class)
class ReplayRoundTest {

  private static final int BATCH = 4;
  private static final int QUEUED = 2 * ReplayRound.BATCHES_PER_REMOVAL * BATCH + 3;

  @TempDir
  Path dir;

  @Test
  void shouldReplayEveryMessageInOrderWithBoundedBatchesInFlight(Vertx vertx, VertxTestContext testContext) {
    Context context = vertx.getOrCreateContext();
    Acks acks = new Acks(vertx, seq -> seq % 3 == 0, seq -> false);
    context.runOnContext(v -> queueOf(vertx, QUEUED)
      .compose(queue -> ReplayRound.start(queue, acks::send, BATCH, false).outcome()
        .compose(replayed -> queue.peek(QUEUED).map(left -> {
          testContext.verify(() -> {
            assertThat(replayed).isEqualTo(QUEUED);
            assertThat(left).isEmpty();
            assertThat(acks.sent).containsExactlyElementsOf(LongStream.rangeClosed(1, QUEUED).boxed().toList());
            assertThat(acks.mostOutstanding).isGreaterThan(BATCH)
              .isLessThanOrEqualTo(ReplayRound.BATCHES_IN_FLIGHT * BATCH);
          });
          return queue;
        }))
        .compose(DurableQueue::close))
      .onComplete(testContext.succeedingThenComplete()));
  }

  @Test
  void shouldRemoveOnlyTheAcknowledgedPrefixBeforeAFailedSend(Vertx vertx, VertxTestContext testContext) {
    Context context = vertx.getOrCreateContext();
    // 5 and 6 are acknowledged late, 7 fails at once and 8 on are acknowledged: the removal stops at 6
    Acks acks = new Acks(vertx, seq -> seq == 5 || seq == 6, seq -> seq == 7);
    context.runOnContext(v -> queueOf(vertx, QUEUED)
      .compose(queue -> ReplayRound.start(queue, acks::send, BATCH, false).outcome()
        .transform(outcome -> queue.peek(QUEUED).map(left -> {
          testContext.verify(() -> {
            assertThat(outcome.failed()).as("the round fails").isTrue();
            assertThat(left).extracting(QueuedMessage::seq)
              .containsExactlyElementsOf(LongStream.rangeClosed(7, QUEUED).boxed().toList());
            assertThat(acks.sent).as("no batch sent once a send failed").hasSizeLessThanOrEqualTo(3 * BATCH);
          });
          return queue;
        }))
        .compose(DurableQueue::close))
      .onComplete(testContext.succeedingThenComplete()));
  }

  @Test
  void shouldSendOnlyTheHeadWhenAProbeFails(Vertx vertx, VertxTestContext testContext) {
    Context context = vertx.getOrCreateContext();
    Acks acks = new Acks(vertx, seq -> false, seq -> true);
    context.runOnContext(v -> queueOf(vertx, QUEUED)
      .compose(queue -> ReplayRound.start(queue, acks::send, BATCH, true).outcome()
        .transform(outcome -> {
          testContext.verify(() -> {
            assertThat(outcome.failed()).isTrue();
            assertThat(acks.sent).containsExactly(1L);
            assertThat(queue.depth()).isEqualTo(QUEUED);
          });
          return queue.close();
        }))
      .onComplete(testContext.succeedingThenComplete()));
  }

  private Future<DurableQueue> queueOf(Vertx vertx, int count) {
    return DurableQueue.open(vertx, new DurableQueueOptions().setPath(dir.resolve("queue.db").toString()))
      .compose(queue -> {
        List<Future<QueuedMessage>> stored = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          stored.add(queue.enqueue(QueuedMessage.unstored("m" + i, "orders", null, "value " + i, null)));
        }
        return Future.all(stored).map(queue);
      });
  }

  /** Acknowledges each send on a later turn of the context, or after a timer when late; fails the ones asked. */
  private static final class Acks {
    private final Vertx vertx;
    private final LongPredicate late;
    private final LongPredicate fails;
    private final List<Long> sent = new ArrayList<>();
    private int outstanding;
    private int mostOutstanding;

    Acks(Vertx vertx, LongPredicate late, LongPredicate fails) {
      this.vertx = vertx;
      this.late = late;
      this.fails = fails;
    }

    Future<RecordMetadata> send(QueuedMessage message) {
      sent.add(message.seq());
      mostOutstanding = Math.max(mostOutstanding, ++outstanding);
      Promise<RecordMetadata> ack = Promise.promise();
      Runnable settle = () -> {
        outstanding--;
        if (fails.test(message.seq())) {
          ack.fail("broker refused seq " + message.seq());
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
