package io.meshnode.resilience;

import io.meshnode.bootstrap.ConfigLoader;
import io.meshnode.contract.InternalBackend;
import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshFailure;
import io.meshnode.contract.MeshField;
import io.meshnode.support.Rejection;
import io.meshnode.support.TestNode;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node's own errors end in a coded 500, never a lost reply: the resilience verticle, deployed as {@code Main} would,
 * in front of stand-in data verticles (on other contexts, reached over the bus) that throw, fail with a plain exception
 * and, for Kafka, fail so that the fallback's own backend (the durable queue's enqueue) throws. Every request is
 * answered at once, long before its deadline, and the verticle then stops without waiting for anything in flight.
 */
@ExtendWith(VertxExtension.class)
class NodeErrorIT {

  /** Long deadlines: an answer that waited for one, or a stop that waited for a request, would take this long. */
  private static final int DEADLINE_SECONDS = 20;

  private Vertx vertx;
  private String resilience;

  /** Data verticles that throw or fail with exceptions that are no contract failure. */
  private static final class ThrowingBackends extends VerticleBase {
    @Override
    public Future<?> start() {
      return Future.all(List.of(
        InternalBackend.register(vertx, context, MeshAddress.INTERNAL_REDIS_GET, request -> {
          throw new IllegalStateException("a bug in the Redis verticle");
        }),
        InternalBackend.register(vertx, context, MeshAddress.INTERNAL_REDIS_SET,
          request -> Future.failedFuture(new ArithmeticException("long overflow"))),
        InternalBackend.register(vertx, context, MeshAddress.INTERNAL_KAFKA_PUBLISH,
          request -> Future.failedFuture(MeshFailure.of(MeshFailure.UNAVAILABLE, "kafka: broker down"))),
        InternalBackend.register(vertx, context, MeshAddress.INTERNAL_KAFKA_ENQUEUE, request -> {
          throw new IllegalStateException("a bug in the durable queue");
        })));
    }
  }

  @BeforeEach
  void deploy(VertxTestContext test) {
    vertx = TestNode.newVertx();
    vertx.deployVerticle(new ThrowingBackends())
      .compose(v -> ConfigLoader.load(vertx, Path.of("conf")))
      .compose(config -> {
        JsonObject timeouts = config.getJsonObject("resilience").getJsonObject("timeouts");
        timeouts.fieldNames().forEach(name -> timeouts.put(name, DEADLINE_SECONDS));
        config.getJsonObject("resilience").getJsonObject("retry_policies").forEach(e -> ((JsonObject) e.getValue())
          .put("initial_delay", 0.01).put("max_delay", 0.02));
        JsonObject sections = new JsonObject();
        List.of("resilience", "postgres", "kafka", "limits").forEach(key -> sections.put(key, config.getValue(key)));
        return vertx.deployVerticle(new ResilienceVerticle(), new DeploymentOptions().setConfig(sections));
      })
      .onComplete(test.succeeding(id -> {
        resilience = id;
        test.completeNow();
      }));
  }

  @AfterEach
  void close(VertxTestContext test) {
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  private Future<ReplyException> send(String address, JsonObject body) {
    return Rejection.of(vertx.eventBus().request(address, body));
  }

  @Test
  void shouldAnswerTheNodesOwnErrorsWith500AndStopWithNothingInFlight(VertxTestContext test) {
    long start = System.nanoTime();
    Future.all(
        send(MeshAddress.REDIS_GET, new JsonObject().put(MeshField.KEY, "k")),
        send(MeshAddress.REDIS_SET, new JsonObject().put(MeshField.KEY, "k").put(MeshField.VALUE, "v")),
        send(MeshAddress.KAFKA_PUBLISH, new JsonObject().put(MeshField.TOPIC, "t").put(MeshField.VALUE, "v")))
      .compose(replies -> {
        long answeredMillis = (System.nanoTime() - start) / 1_000_000;
        test.verify(() -> {
          List<ReplyException> failures = replies.list();
          assertThat(failures).extracting(ReplyException::failureCode).containsOnly(MeshFailure.INTERNAL);
          assertThat(failures.get(0).getMessage()).contains("IllegalStateException", "a bug in the Redis verticle");
          assertThat(failures.get(1).getMessage()).contains("ArithmeticException", "long overflow");
          assertThat(failures.get(2).getMessage()).contains("a bug in the durable queue");
          assertThat(answeredMillis).as("answered at once, not at the %d s deadline", DEADLINE_SECONDS)
            .isLessThan(DEADLINE_SECONDS * 1000L / 4);
        });
        long stopping = System.nanoTime();
        return vertx.undeploy(resilience).map(v -> (System.nanoTime() - stopping) / 1_000_000);
      })
      .onComplete(test.succeeding(stopMillis -> test.verify(() -> {
        assertThat(stopMillis).as("stopped with nothing left in flight, not after waiting a %d s deadline",
          DEADLINE_SECONDS).isLessThan(DEADLINE_SECONDS * 1000L / 4);
        test.completeNow();
      })));
  }
}
