package io.meshnode.kafka;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;

/**
 * Child process of {@link DurableQueueCrashTest}: opens the queue and enqueues forever from {@value #WRITERS}
 * concurrent writers, printing {@code ACK <id>} on stdout as soon as a message's enqueue future completes.
 * The test kills it with SIGKILL; stdout is the protocol, so logs go to stderr.
 *
 * <p>Arguments: the database path, and a prefix for the ids ({@code <prefix>-w<writer>-<n>}).
 */
public final class QueueCrashWriter {

  static final int WRITERS = 16;
  private static final Logger LOG = LoggerFactory.getLogger(QueueCrashWriter.class);
  private static final PrintStream ACKS = System.out;

  private QueueCrashWriter() {
  }

  public static void main(String[] args) {
    String path = args[0];
    String prefix = args[1];
    Vertx vertx = Vertx.vertx();
    // runs on an event loop, whose (non-daemon) thread keeps the JVM alive until it is killed
    vertx.runOnContext(start -> DurableQueue.open(vertx, new DurableQueueOptions().setPath(path)
        .setMaxMessages(Integer.MAX_VALUE))
      .onSuccess(queue -> {
        for (int writer = 0; writer < WRITERS; writer++) {
          writeForever(queue, prefix + "-w" + writer, 0);
        }
      })
      .onFailure(failure -> exit("cannot open " + path, failure)));
  }

  private static void writeForever(DurableQueue queue, String writer, long n) {
    String id = writer + "-" + n;
    queue.enqueue(QueuedMessage.unstored(id, "crash-test", writer, "payload " + n, null))
      .onSuccess(stored -> {
        ACKS.println("ACK " + id);
        ACKS.flush();
        writeForever(queue, writer, n + 1);
      })
      .onFailure(failure -> exit("enqueue of " + id + " failed", failure));
  }

  private static void exit(String what, Throwable failure) {
    LOG.error(what, failure);
    System.exit(2);
  }
}
