package io.meshnode.kafka;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a child JVM that is enqueueing ({@link QueueCrashWriter}) with SIGKILL, round after round on one file, and
 * checks that every message it acknowledged is still there, in order, in a sound database.
 */
@ExtendWith(VertxExtension.class)
class DurableQueueCrashTest {

  private static final Logger LOG = LoggerFactory.getLogger(DurableQueueCrashTest.class);
  private static final int ROUNDS = 3;
  private static final int ACKS_BEFORE_KILL = 500;
  private static final long CHILD_TIMEOUT_SECONDS = 30;

  @TempDir
  Path dir;

  private final Queue<Process> children = new ConcurrentLinkedQueue<>();

  @AfterEach
  void killLeftoverChildren() {
    children.forEach(Process::destroyForcibly);
  }

  @Test
  @Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
  void shouldKeepEveryAcknowledgedMessageWhenKilledMidFlight(Vertx vertx, VertxTestContext testContext) {
    Path db = dir.resolve("crash/queue.db");
    Set<String> acked = ConcurrentHashMap.newKeySet();
    Future<Void> rounds = Future.succeededFuture();
    for (int round = 1; round <= ROUNDS; round++) {
      String prefix = "r" + round;
      rounds = rounds
        .compose(previous -> vertx.executeBlocking(() -> runWriterUntilKilled(db, prefix)))
        .compose(ackedThisRound -> {
          LOG.info("{}: the writer acknowledged {} messages before SIGKILL", prefix, ackedThisRound.size());
          acked.addAll(ackedThisRound);
          return verifyAfterCrash(vertx, db, acked, testContext);
        })
        .compose(verified -> vertx.executeBlocking(() -> integrityCheck(db)))
        .map(integrity -> {
          testContext.verify(() -> assertThat(integrity).isEqualTo("ok"));
          return null;
        });
    }
    rounds.onComplete(testContext.succeedingThenComplete());
  }

  private Future<Void> verifyAfterCrash(Vertx vertx, Path db, Set<String> acked, VertxTestContext testContext) {
    return DurableQueue.open(vertx, new DurableQueueOptions().setPath(db.toString()).setMaxMessages(Integer.MAX_VALUE))
      .compose(queue -> queue.peek((int) queue.depth() + 1).compose(stored -> {
        LOG.info("reopened after SIGKILL: {} messages stored, {} acknowledged in all rounds", stored.size(),
          acked.size());
        testContext.verify(() -> {
          List<String> ids = stored.stream().map(QueuedMessage::id).toList();
          assertThat(ids).containsAll(acked).doesNotHaveDuplicates();
          assertThat(queue.depth()).isEqualTo(stored.size()).isGreaterThanOrEqualTo(acked.size());
          assertThat(stored).extracting(QueuedMessage::seq).isSorted().doesNotHaveDuplicates();
          assertEachWriterInOrder(stored);
        });
        long lastSeq = stored.get(stored.size() - 1).seq();
        return queue.enqueue(QueuedMessage.unstored("probe-" + lastSeq, "crash-test", null, "probe", null))
          .compose(probe -> {
            testContext.verify(() -> assertThat(probe.seq()).isGreaterThan(lastSeq));
            return queue.close();
          });
      }));
  }

  /** Each writer enqueues n = 0, 1, 2, ... one after the other: its messages must be stored in that order. */
  private static void assertEachWriterInOrder(List<QueuedMessage> stored) {
    Map<String, List<Long>> byWriter = stored.stream().filter(message -> !message.id().startsWith("probe"))
      .collect(Collectors.groupingBy(QueuedMessage::key,
        Collectors.mapping(message -> Long.parseLong(message.value().substring("payload ".length())),
          Collectors.toList())));
    byWriter.forEach((writer, numbers) -> assertThat(numbers).as(writer).isSorted().doesNotHaveDuplicates());
  }

  /** Blocking: starts the writer, reads ACKs until enough, kills it with SIGKILL, returns every complete ACK. */
  private Set<String> runWriterUntilKilled(Path db, String prefix) throws IOException, InterruptedException {
    Path stderr = dir.resolve(prefix + "-writer.err");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", System.getProperty("java.class.path"), QueueCrashWriter.class.getName(), db.toString(), prefix)
      .redirectError(stderr.toFile())
      .start();
    children.add(child);
    Set<String> acked = new HashSet<>();
    try (BufferedReader stdout = child.inputReader()) {
      String line;
      while (acked.size() < ACKS_BEFORE_KILL && (line = stdout.readLine()) != null) {
        addAck(line, acked);
      }
      if (acked.size() < ACKS_BEFORE_KILL) {
        throw new IllegalStateException("writer stopped after " + acked.size() + " ACKs, exit code "
          + child.waitFor() + ": " + Files.readString(stderr));
      }
      // SIGKILL through the handle: Process.destroyForcibly() would also close our end of the pipe, losing the
      // ACKs the child printed before it died
      child.toHandle().destroyForcibly();
      if (!child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("writer survived SIGKILL");
      }
      StringWriter rest = new StringWriter();
      stdout.transferTo(rest);
      String complete = rest.toString().substring(0, rest.toString().lastIndexOf('\n') + 1);
      complete.lines().forEach(ackLine -> addAck(ackLine, acked));
    }
    return acked;
  }

  private static void addAck(String line, Set<String> acked) {
    if (line.startsWith("ACK ")) {
      acked.add(line.substring("ACK ".length()));
    }
  }

  private static String integrityCheck(Path db) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
         Statement statement = connection.createStatement();
         ResultSet result = statement.executeQuery("PRAGMA integrity_check")) {
      return result.next() ? result.getString(1) : "no result";
    }
  }
}
