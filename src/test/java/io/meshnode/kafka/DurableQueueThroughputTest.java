package io.meshnode.kafka;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures durable enqueues per second with {@value #CALLERS} concurrent callers, each enqueueing its next message
 * as soon as the previous one is acknowledged. Logs the rate; asserts only that everything was stored.
 */
@ExtendWith(VertxExtension.class)
class DurableQueueThroughputTest {

  private static final Logger LOG = LoggerFactory.getLogger(DurableQueueThroughputTest.class);
  private static final int CALLERS = 64;
  private static final int PER_CALLER = Integer.getInteger("mesh.queue.bench.perCaller", 300);

  @TempDir
  Path dir;

  @Test
  void shouldStoreEveryMessageFromConcurrentCallers(Vertx vertx, VertxTestContext testContext) {
    DurableQueueOptions options = new DurableQueueOptions().setPath(dir.resolve("queue.db").toString())
      .setMaxMessages(CALLERS * PER_CALLER);
    DurableQueue.open(vertx, options).compose(queue -> {
      long start = System.nanoTime();
      List<Future<Void>> callers = IntStream.range(0, CALLERS).mapToObj(caller -> enqueueInTurn(queue, caller))
        .toList();
      return Future.all(callers).compose(all -> {
        double seconds = (System.nanoTime() - start) / 1e9;
        int total = CALLERS * PER_CALLER;
        LOG.info("{} durable enqueues from {} concurrent callers in {} s: {} enqueues/s", total, CALLERS,
          String.format("%.2f", seconds), Math.round(total / seconds));
        testContext.verify(() -> assertThat(queue.depth()).isEqualTo(total));
        return queue.close();
      });
    }).onComplete(testContext.succeedingThenComplete());
  }

  /** One caller: enqueues its next message once the previous one is stored (no compose nesting, any length). */
  private static Future<Void> enqueueInTurn(DurableQueue queue, int caller) {
    Promise<Void> done = Promise.promise();
    enqueueNext(queue, caller, 0, done);
    return done.future();
  }

  private static void enqueueNext(DurableQueue queue, int caller, int n, Promise<Void> done) {
    if (n == PER_CALLER) {
      done.complete();
      return;
    }
    queue.enqueue(QueuedMessage.unstored("c" + caller + "-" + n, "bench", null, "payload " + n, null))
      .onSuccess(stored -> enqueueNext(queue, caller, n + 1, done))
      .onFailure(done::fail);
  }
}
