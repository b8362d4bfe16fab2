package io.meshnode.web;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HealthViewTest {

  private static HealthView seededHealthy() {
    HealthView view = new HealthView();
    view.seed(new JsonObject().put("circuit_breakers", new JsonObject().put("kafka_producer", "closed")));
    view.onDependencyEvent(new JsonObject().put("dependency", "kafka").put("reachable", true));
    view.onQueueEvent(queue(0, false));
    return view;
  }

  private static JsonObject queue(long dead, boolean stalled) {
    return new JsonObject().put("depth", 3).put("capacity", 10).put("dead", dead).put("oldest_age_seconds", 4)
      .put("stalled", stalled);
  }

  @Test
  @DisplayName("a queue that flows leaves the node healthy; dead letters waiting or a stalled queue degrade it")
  void shouldDegradeWhileDeadLettersWaitOrTheQueueIsStalled() {
    HealthView view = seededHealthy();
    assertThat(view.status()).isEqualTo(HealthView.HEALTHY);

    view.onQueueEvent(queue(2, false));
    assertThat(view.status()).isEqualTo(HealthView.DEGRADED);
    assertThat(view.toJson().getJsonObject("queue").getLong("dead")).isEqualTo(2);

    view.onQueueEvent(queue(0, true));
    assertThat(view.status()).isEqualTo(HealthView.DEGRADED);

    view.onQueueEvent(queue(0, false));
    assertThat(view.status()).isEqualTo(HealthView.HEALTHY);
  }
}
