package io.meshnode.bootstrap;

import io.meshnode.client.MeshClient;
import io.meshnode.support.TestKafka;
import io.meshnode.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two ways verticles.json can place the verticles: colocated on one context (the shipped file: the resilience
 * verticle calls the data verticles directly) and one verticle per entry (every internal request crosses the bus).
 * Both serve the same contract.
 */
@ExtendWith(VertxExtension.class)
class DeploymentPlanIT {

  private static final String INTERNAL_PREFIX = "mesh.internal.";

  private final AtomicInteger internalMessages = new AtomicInteger();
  private final String key = "plan:" + UUID.randomUUID();
  private Vertx vertx;

  @BeforeEach
  void countInternalMessages() {
    vertx = TestNode.newVertx();
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      if (delivery.message().address().startsWith(INTERNAL_PREFIX)) {
        internalMessages.incrementAndGet();
      }
      delivery.next();
    });
  }

  @AfterEach
  void close(VertxTestContext test) {
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  private static JsonObject separateVerticles() {
    JsonArray verticles = new JsonArray();
    for (String[] entry : List.of(
      new String[] {"io.meshnode.kafka.KafkaVerticle", "kafka"},
      new String[] {"io.meshnode.postgres.PostgresVerticle", "postgres"},
      new String[] {"io.meshnode.redis.RedisVerticle", "redis"})) {
      verticles.add(new JsonObject().put("class", entry[0]).put("config", new JsonArray().add(entry[1])));
    }
    verticles.add(new JsonObject().put("class", "io.meshnode.resilience.ResilienceVerticle")
      .put("config", new JsonArray(List.of("resilience", "postgres", "kafka", "limits"))));
    verticles.add(new JsonObject().put("class", "io.meshnode.web.WebVerticle").put("config", new JsonArray().add("web")));
    return new JsonObject().put("verticles", verticles);
  }

  private void exercise(TestNode node, VertxTestContext test, boolean expectBusHops) {
    MeshClient mesh = MeshClient.create(vertx);
    internalMessages.set(0);
    mesh.redis().set(key, "v", 30)
      .compose(set -> mesh.redis().get(key))
      .compose(get -> {
        test.verify(() -> assertThat(get.body().getString("value")).isEqualTo("v"));
        return mesh.postgres().query("server_time");
      })
      .compose(time -> mesh.kafka().publish("events", key, "plan"))
      .onComplete(test.succeeding(published -> test.verify(() -> {
        assertThat(published.fallback()).isFalse();
        if (expectBusHops) {
          assertThat(internalMessages).hasValue(4);
        } else {
          assertThat(internalMessages).hasValue(0);
        }
        test.completeNow();
      })));
  }

  @Test
  @DisplayName("the shipped verticles.json colocates the data verticles with the resilience verticle: no internal bus hop")
  void shouldCallColocatedBackendsDirectly(VertxTestContext test) {
    String kafka = TestKafka.bootstrapServers();
    TestNode.deploy(vertx, config -> config.getJsonObject("kafka").put("bootstrap_servers", kafka))
      .onComplete(test.succeeding(node -> exercise(node, test, false)));
  }

  @Test
  @DisplayName("verticles deployed one per entry reach each other over the bus, with the same contract")
  void shouldServeOverTheBusWhenNotColocated(VertxTestContext test) {
    String kafka = TestKafka.bootstrapServers();
    TestNode.deploy(vertx, separateVerticles(), config -> config.getJsonObject("kafka").put("bootstrap_servers", kafka))
      .onComplete(test.succeeding(node -> exercise(node, test, true)));
  }
}
