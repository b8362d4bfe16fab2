package io.meshnode.kafka;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class DurableQueueTest {

  @TempDir
  Path dir;

  @Test
  void shouldReturnMessagesOldestFirstAndRemoveTheAcknowledgedOnes(Vertx vertx, VertxTestContext testContext) {
    DurableQueue.open(vertx, options()).compose(queue -> enqueueInTurn(queue, "a", "b", "c")
        .compose(stored -> queue.peek(10).compose(peeked -> {
          testContext.verify(() -> {
            assertThat(peeked).containsExactlyElementsOf(stored);
            assertThat(peeked).extracting(QueuedMessage::id).containsExactly("a", "b", "c");
            assertThat(peeked).extracting(QueuedMessage::seq).isSorted().doesNotHaveDuplicates();
            assertThat(peeked.get(0).headers()).isEqualTo(new JsonObject().put("trace", "a"));
            assertThat(peeked.get(0).key()).isNull();
          });
          return queue.remove(List.of(peeked.get(0).seq(), peeked.get(1).seq()));
        }))
        .compose(removed -> queue.peek(10).map(left -> {
          testContext.verify(() -> {
            assertThat(removed).isEqualTo(2);
            assertThat(left).extracting(QueuedMessage::id).containsExactly("c");
            assertThat(queue.depth()).isEqualTo(1);
          });
          return queue;
        })))
      .compose(DurableQueue::close)
      .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void shouldKeepContentsDepthAndNextSeqAcrossCloseAndReopen(Vertx vertx, VertxTestContext testContext) {
    List<QueuedMessage> before = new ArrayList<>();
    DurableQueue.open(vertx, options())
      .compose(queue -> enqueueInTurn(queue, "a", "b", "c")
        .compose(stored -> queue.remove(List.of(stored.get(0).seq())))
        .compose(removed -> queue.peek(10)).onSuccess(before::addAll)
        .compose(peeked -> queue.close()))
      .compose(closed -> DurableQueue.open(vertx, options()))
      .compose(queue -> queue.peek(10)
        .compose(after -> {
          testContext.verify(() -> {
            assertThat(queue.depth()).isEqualTo(2);
            assertThat(after).isEqualTo(before);
          });
          return queue.remove(after.stream().map(QueuedMessage::seq).toList());
        })
        .compose(removed -> queue.close()))
      .compose(closed -> DurableQueue.open(vertx, options()))
      .compose(queue -> queue.enqueue(message("d")).compose(d -> {
        testContext.verify(() -> {
          assertThat(d.seq()).as("seq is never reused, even once the queue was empty").isEqualTo(4);
          assertThat(queue.depth()).isEqualTo(1);
        });
        return queue.close();
      }))
      .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void shouldRefuseWithQueueFullExceptionAndKeepWhatIsQueued(Vertx vertx, VertxTestContext testContext) {
    DurableQueue.open(vertx, options().setMaxMessages(3)).compose(queue -> {
      List<Future<QueuedMessage>> attempts = IntStream.range(0, 5)
        .mapToObj(i -> queue.enqueue(message("m" + i))).toList();
      return Future.join(attempts).otherwiseEmpty().compose(joined -> {
        testContext.verify(() -> {
          assertThat(attempts.subList(0, 3)).allMatch(Future::succeeded);
          assertThat(attempts.subList(3, 5)).allSatisfy(refused ->
            assertThat(refused.cause()).isInstanceOf(QueueFullException.class).hasMessageContaining("3"));
          assertThat(queue.depth()).isEqualTo(3);
        });
        return queue.peek(10);
      }).compose(peeked -> {
        testContext.verify(() -> assertThat(peeked).extracting(QueuedMessage::id).containsExactly("m0", "m1", "m2"));
        return queue.remove(List.of(peeked.get(0).seq()));
      }).compose(removed -> queue.enqueue(message("m5")))
        .compose(accepted -> queue.peek(10))
        .compose(peeked -> {
          testContext.verify(() -> assertThat(peeked).extracting(QueuedMessage::id).containsExactly("m1", "m2", "m5"));
          return queue.close();
        });
    }).onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void shouldCommitConcurrentEnqueuesInCallOrder(Vertx vertx, VertxTestContext testContext) {
    int count = 2_000;
    DurableQueue.open(vertx, options()).compose(queue -> {
      List<Future<QueuedMessage>> enqueued = IntStream.range(0, count)
        .mapToObj(i -> queue.enqueue(message("m" + i))).toList();
      return Future.all(enqueued).compose(all -> queue.peek(count + 1)).compose(peeked -> {
        testContext.verify(() -> {
          List<String> callOrder = IntStream.range(0, count).mapToObj(i -> "m" + i).toList();
          assertThat(enqueued).extracting(stored -> stored.result().seq()).isSorted().doesNotHaveDuplicates();
          assertThat(peeked).extracting(QueuedMessage::id).containsExactlyElementsOf(callOrder);
          assertThat(queue.depth()).isEqualTo(count);
        });
        return queue.close();
      });
    }).onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void shouldRefuseEnqueueOnceClosed(Vertx vertx, VertxTestContext testContext) {
    DurableQueue.open(vertx, options())
      .compose(queue -> queue.close().compose(closed -> queue.close()).map(queue))
      .compose(queue -> queue.enqueue(message("late")))
      .onComplete(testContext.failing(failure -> testContext.verify(() -> {
        assertThat(failure).isInstanceOf(IllegalStateException.class);
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("a second queue on a held file is refused naming the file, the other node and MESH_KAFKA_QUEUE_PATH")
  void shouldNameTheFileAndTheWayOutWhenAnotherQueueHoldsIt(Vertx vertx, VertxTestContext testContext) {
    DurableQueue.open(vertx, options()).compose(first -> DurableQueue.open(vertx, options())
        .transform(second -> {
          testContext.verify(() -> {
            if (second.succeeded()) {
              second.result().close();
            }
            assertThat(second.failed()).as("second open refused").isTrue();
            assertThat(second.cause()).isInstanceOf(IllegalStateException.class)
              .hasMessage("durable queue file " + dir.resolve("nested/dirs/queue.db").toAbsolutePath()
                + " is held by another node (SQLite: SQLITE_BUSY); give each node its own file with "
                + "MESH_KAFKA_QUEUE_PATH or kafka.queue_path");
          });
          return first.close();
        }))
      .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  @DisplayName("dead letters are kept across a reopen, requeued at the end with their ids, and dropped")
  void shouldBuryRequeueAndDropDeadLetters(Vertx vertx, VertxTestContext testContext) {
    DurableQueue.open(vertx, options())
      .compose(queue -> enqueueInTurn(queue, "a", "b", "c")
        .compose(stored -> queue.bury(List.of(
          new DeadLetter(stored.get(0), "RecordTooLargeException", "too large", 1, 1_000),
          new DeadLetter(stored.get(1), "InvalidRecordException", "no key", 2, 2_000))))
        .compose(buried -> queue.close()))
      .compose(closed -> DurableQueue.open(vertx, options()))
      .compose(queue -> queue.deadLetters(10).compose(dead -> {
          testContext.verify(() -> {
            assertThat(queue.depth()).isEqualTo(1);
            assertThat(queue.deadCount()).isEqualTo(2);
            assertThat(dead).extracting(letter -> letter.message().id()).containsExactly("a", "b");
            assertThat(dead.get(1).reason()).isEqualTo("InvalidRecordException");
            assertThat(dead.get(1).attempts()).isEqualTo(2);
            assertThat(dead.get(0).message().headers()).isEqualTo(new JsonObject().put("trace", "a"));
          });
          return queue.requeue(List.of("b"));
        })
        .compose(requeued -> queue.peek(10).map(queued -> {
          testContext.verify(() -> {
            assertThat(requeued).isEqualTo(1);
            assertThat(queued).extracting(QueuedMessage::id).as("b requeued after c").containsExactly("c", "b");
            assertThat(queued.get(1).seq()).isEqualTo(4);
            assertThat(queue.deadCount()).isEqualTo(1);
            assertThat(queue.depth()).isEqualTo(2);
          });
          return queued;
        }))
        .compose(queued -> queue.drop(null))
        .compose(dropped -> queue.deadLetters(10).map(dead -> {
          testContext.verify(() -> {
            assertThat(dropped).isEqualTo(1);
            assertThat(dead).isEmpty();
            assertThat(queue.deadCount()).isZero();
          });
          return queue;
        }))
        .compose(DurableQueue::close))
      .onComplete(testContext.succeedingThenComplete());
  }

  private DurableQueueOptions options() {
    return new DurableQueueOptions().setPath(dir.resolve("nested/dirs/queue.db").toString());
  }

  private static QueuedMessage message(String id) {
    return QueuedMessage.unstored(id, "orders", null, "value of " + id, new JsonObject().put("trace", id));
  }

  /** Enqueues one message after the other, each once the previous one is stored. */
  private static Future<List<QueuedMessage>> enqueueInTurn(DurableQueue queue, String... ids) {
    List<QueuedMessage> stored = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (String id : ids) {
      chain = chain.compose(v -> queue.enqueue(message(id)).onSuccess(stored::add).mapEmpty());
    }
    return chain.map(stored);
  }
}
