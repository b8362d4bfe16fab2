package io.meshnode.kafka;

import io.meshnode.bootstrap.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxExtension.class)
class SubscriptionOptionsTest {

  private static final JsonObject RESILIENCE = new JsonObject()
    .put("retry_policies", new JsonObject().put("kafka", new JsonObject().put("max_retries", 3)))
    .put("timeouts", new JsonObject().put("kafka_consume", 60));

  private static JsonObject kafka(Consumer<JsonObject> change) {
    JsonObject entry = new JsonObject().put("topic", "events").put("group", "analytics")
      .put("address", "analytics.events").put("dead_letter_topic", "events.dlq");
    change.accept(entry);
    return new JsonObject().put("subscriptions", new JsonArray().add(entry));
  }

  @Test
  void shouldReadAnEntryWithItsDefaults() {
    List<SubscriptionOptions> options = SubscriptionOptions.listFromConfig(kafka(entry -> { }), RESILIENCE);

    assertThat(options).singleElement().satisfies(subscription -> {
      assertThat(subscription.name()).isEqualTo("analytics");
      assertThat(subscription.source()).isEqualTo("events");
      assertThat(subscription.concurrency()).isEqualTo(1);
      assertThat(subscription.maxInFlight()).isEqualTo(SubscriptionOptions.DEFAULT_MAX_IN_FLIGHT);
      assertThat(subscription.retry().maxRetries()).isEqualTo(3);
      assertThat(subscription.deliveryTimeout()).isEqualTo(Duration.ofSeconds(60));
      assertThat(subscription.breaker().failureThreshold()).isEqualTo(5);
    });
  }

  @Test
  void shouldNameTheMissingKey() {
    assertThatThrownBy(() -> SubscriptionOptions.listFromConfig(kafka(entry -> entry.remove("group")), RESILIENCE))
      .hasMessageContaining("kafka.subscriptions[0].group").hasMessageContaining("got nothing");
    assertThatThrownBy(() -> SubscriptionOptions.listFromConfig(
      kafka(entry -> entry.remove("dead_letter_topic")), RESILIENCE))
      .hasMessageContaining("kafka.subscriptions[0].dead_letter_topic");
  }

  @Test
  void shouldRequireExactlyOneOfTopicAndPattern() {
    assertThatThrownBy(() -> SubscriptionOptions.listFromConfig(kafka(entry -> entry.put("pattern", "ev.*")), RESILIENCE))
      .hasMessageContaining("kafka.subscriptions[0].topic").hasMessageContaining("exactly one of topic and pattern");
    assertThatThrownBy(() -> SubscriptionOptions.listFromConfig(
      kafka(entry -> entry.putNull("topic").put("pattern", "ev[")), RESILIENCE))
      .hasMessageContaining("kafka.subscriptions[0].pattern").hasMessageContaining("'ev['");
  }

  @Test
  void shouldRejectAnUnknownRetryPolicyAndBadNumbers() {
    assertThatThrownBy(() -> SubscriptionOptions.listFromConfig(kafka(entry -> entry.put("retry", "db")), RESILIENCE))
      .hasMessageContaining("kafka.subscriptions[0].retry").hasMessageContaining("'db'");
    assertThatThrownBy(() -> SubscriptionOptions.listFromConfig(kafka(entry -> entry.put("concurrency", 0)), RESILIENCE))
      .hasMessageContaining("kafka.subscriptions[0].concurrency").hasMessageContaining("got 0");
    assertThatThrownBy(() -> SubscriptionOptions.listFromConfig(
      kafka(entry -> entry.put("concurrency", 8).put("max_in_flight", 4)), RESILIENCE))
      .hasMessageContaining("kafka.subscriptions[0].max_in_flight");
    assertThatThrownBy(() -> SubscriptionOptions.listFromConfig(
      kafka(entry -> entry.put("breaker", new JsonObject().put("timeout", -1))), RESILIENCE))
      .hasMessageContaining("kafka.subscriptions[0].breaker.timeout");
  }

  @Test
  void shouldRejectTwoSubscriptionsWithOneName() {
    JsonObject kafka = kafka(entry -> { });
    kafka.getJsonArray("subscriptions").add(kafka.getJsonArray("subscriptions").getJsonObject(0).copy());
    assertThatThrownBy(() -> SubscriptionOptions.listFromConfig(kafka, RESILIENCE))
      .hasMessageContaining("kafka.subscriptions[1].name").hasMessageContaining("unique");
  }

  @Test
  void shouldShipNoSubscriptions(Vertx vertx, VertxTestContext test) {
    ConfigLoader.load(vertx, Path.of("conf")).onComplete(test.succeeding(config -> test.verify(() -> {
      assertThat(SubscriptionOptions.listFromConfig(config.getJsonObject("kafka"), config.getJsonObject("resilience")))
        .isEmpty();
      test.completeNow();
    })));
  }
}
