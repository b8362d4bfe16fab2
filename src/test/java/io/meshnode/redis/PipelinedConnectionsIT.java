package io.meshnode.redis;

import io.meshnode.support.TestNode;
import io.meshnode.support.TestRedis;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis verticle's pipelined, write-coalescing connections on a real redis-server of the test's own: many
 * commands sent at once are answered each with its own reply, in order, and reach Redis in a few reads rather than
 * one per command; a failing command fails alone; the in-flight bound fails commands at once; a dropped connection
 * fails what it held and the next command reconnects.
 */
@ExtendWith(VertxExtension.class)
class PipelinedConnectionsIT {

  private static final int COMMANDS = 500;

  private final TestRedis redis = new TestRedis();
  private Vertx vertx;
  private Context context;

  @BeforeEach
  void startRedis() {
    redis.start();
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void stopRedis(VertxTestContext test) {
    redis.thaw();
    redis.stop();
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  @Test
  void shouldAnswerManyCommandsSentAtOnceInOrderWithFewReads(VertxTestContext test) {
    PipelinedConnections connections = connections(16_384);
    onContext(() -> connections.send(Request.cmd(Command.PING))
      .compose(warm -> readsProcessed(connections))
      .compose(readsBefore -> onContext(() -> { // a task of its own: outside any read, as bus requests arrive
        List<Future<Response>> replies = new ArrayList<>();
        for (int i = 0; i < COMMANDS; i++) {
          replies.add(connections.send(Request.cmd(Command.INCR).arg("coalesced:counter")));
        }
        return Future.all(replies).compose(all -> readsProcessed(connections).map(readsAfter -> {
          test.verify(() -> {
            for (int i = 0; i < COMMANDS; i++) {
              assertThat(replies.get(i).result().toLong()).as("reply %d", i).isEqualTo(i + 1L);
            }
            // the first command is written alone, the rest together once its reply arrives; INFO itself is a read
            assertThat(readsAfter - readsBefore).as("reads Redis made for %d commands", COMMANDS)
              .isLessThan(COMMANDS / 10);
          });
          return all;
        }));
      }))).onComplete(test.succeedingThenComplete());
  }

  @Test
  void shouldFailOnlyTheCommandThatFails(VertxTestContext test) {
    PipelinedConnections connections = connections(16_384);
    onContext(() -> connections.send(Request.cmd(Command.LPUSH).arg("coalesced:list").arg("x")).compose(pushed -> {
      Future<Response> before = connections.send(Request.cmd(Command.SET).arg("coalesced:a").arg("1"));
      Future<Response> wrongType = connections.send(Request.cmd(Command.GET).arg("coalesced:list"));
      Future<Response> after = connections.send(Request.cmd(Command.GET).arg("coalesced:a"));
      return Future.join(before, wrongType, after).otherwiseEmpty().map(v -> {
        test.verify(() -> {
          assertThat(before.succeeded()).isTrue();
          assertThat(wrongType.cause()).hasMessageContaining("WRONGTYPE");
          assertThat(after.result().toString()).isEqualTo("1");
        });
        return v;
      });
    })).onComplete(test.succeedingThenComplete());
  }

  @Test
  void shouldFailAtOnceBeyondTheCommandsItMayHold(VertxTestContext test) {
    PipelinedConnections connections = connections(4);
    onContext(() -> connections.send(Request.cmd(Command.PING)).compose(warm -> {
      List<Future<Response>> replies = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        replies.add(connections.send(Request.cmd(Command.PING)));
      }
      return Future.join(replies).otherwiseEmpty().map(v -> {
        test.verify(() -> {
          assertThat(replies.subList(0, 4)).allMatch(Future::succeeded);
          assertThat(replies.subList(4, 10)).allSatisfy(reply ->
            assertThat(reply.cause()).hasMessageContaining("waiting queue is full"));
        });
        return v;
      });
    })).onComplete(test.succeedingThenComplete());
  }

  @Test
  void shouldFailHeldCommandsWhenTheConnectionDropsAndReconnectAfter(VertxTestContext test) {
    PipelinedConnections connections = connections(16_384);
    List<Future<Response>> stranded = new ArrayList<>();
    onContext(() -> connections.send(Request.cmd(Command.PING))
      .compose(warm -> TestNode.blocking(vertx, redis::freeze))
      .compose(frozen -> onContext(() -> {
        for (int i = 0; i < 6; i++) { // one in flight, five held behind it
          stranded.add(connections.send(Request.cmd(Command.PING)));
        }
        return Future.succeededFuture();
      }))
      .compose(sent -> TestNode.blocking(vertx, () -> {
        redis.stop();
        redis.start();
      }))
      .compose(restarted -> Future.join(new ArrayList<>(stranded)).otherwiseEmpty())
      .compose(allFailed -> {
        test.verify(() -> assertThat(stranded).allMatch(Future::failed));
        return onContext(() -> connections.send(Request.cmd(Command.PING)));
      })
      .map(pong -> {
        test.verify(() -> assertThat(pong.toString()).isEqualTo("PONG"));
        return pong;
      })).onComplete(test.succeedingThenComplete());
  }

  private PipelinedConnections connections(int maxWaiting) {
    return new PipelinedConnections(Redis.createClient(vertx, new RedisOptions().setConnectionString(redis.url())
      .setMaxWaitingHandlers(maxWaiting)), 1, maxWaiting);
  }

  /** Redis's {@code total_reads_processed}: how many socket reads it has made. */
  private static Future<Long> readsProcessed(PipelinedConnections connections) {
    return connections.send(Request.cmd(Command.INFO).arg("stats")).map(info -> {
      for (String line : info.toString().split("\r?\n")) {
        if (line.startsWith("total_reads_processed:")) {
          return Long.parseLong(line.substring("total_reads_processed:".length()).trim());
        }
      }
      throw new IllegalStateException("no total_reads_processed in INFO stats");
    });
  }

  /** Runs {@code work} on the test's one event-loop context, as the Redis verticle's calls all run on its own. */
  private <T> Future<T> onContext(Supplier<Future<T>> work) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(promise));
    return promise.future();
  }
}
