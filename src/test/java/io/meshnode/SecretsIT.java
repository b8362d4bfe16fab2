package io.meshnode;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.meshnode.client.MeshClient;
import io.meshnode.support.Rejection;
import io.meshnode.support.TestNode;
import io.meshnode.support.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node run with known passwords (Redis with requirepass, a PostgreSQL password) through success, failure and
 * fallback: neither password may appear in any log line, /health, /metrics or error reply.
 */
@ExtendWith(VertxExtension.class)
class SecretsIT {

  private final String redisPassword = "redis-" + UUID.randomUUID();
  private final String pgPassword = "pg-" + UUID.randomUUID();
  private final TestRedis redis = new TestRedis(redisPassword);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final List<String> exposed = new ArrayList<>();
  private Vertx vertx;
  private TestNode node;

  @BeforeEach
  void startNode(VertxTestContext test) {
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    redis.start();
    vertx = TestNode.newVertx();
    TestNode.deploy(vertx, config -> {
      redis.configure(config).put("password", redisPassword);
      config.getJsonObject("postgres").put("password", pgPassword);
      config.getJsonObject("kafka").put("bootstrap_servers", TestNode.UNREACHABLE_KAFKA);
    }).onComplete(test.succeeding(deployed -> {
      node = deployed;
      test.completeNow();
    }));
  }

  @AfterEach
  void stopNode(VertxTestContext test) {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    redis.stop();
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  @Test
  void shouldNeverExposeAPassword(VertxTestContext test) {
    MeshClient mesh = MeshClient.create(vertx);
    mesh.redis().set("secret-test", "v")
      .compose(set -> {
        test.verify(() -> assertThat(set.fallback()).as("authenticated with the password").isFalse());
        return mesh.postgres().query("server_time");
      })
      .compose(v -> vertx.executeBlocking(() -> {
        redis.stop();
        return null;
      }))
      .compose(v -> Rejection.of(mesh.redis().get("never-cached")))
      .compose(failure -> {
        exposed.add(failure.getMessage());
        return Rejection.of(mesh.postgres().query("no_such_statement"));
      })
      .compose(failure -> {
        exposed.add(failure.getMessage());
        return node.health();
      })
      .compose(health -> {
        exposed.add(health.encode());
        return node.metrics();
      })
      .compose(metrics -> {
        exposed.add(metrics);
        return Future.succeededFuture();
      })
      .onComplete(test.succeeding(v -> test.verify(() -> {
        logs.list.forEach(event -> {
          exposed.add(event.getFormattedMessage());
          if (event.getThrowableProxy() != null) {
            exposed.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
          }
        });
        assertThat(logs.list).isNotEmpty();
        assertThat(exposed).noneMatch(text -> text.contains(redisPassword) || text.contains(pgPassword));
        test.completeNow();
      })));
  }
}
