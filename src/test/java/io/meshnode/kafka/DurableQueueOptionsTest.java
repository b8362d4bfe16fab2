package io.meshnode.kafka;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurableQueueOptionsTest {

  @Test
  void shouldUseDefaultsForMissingKeys() {
    DurableQueueOptions options = DurableQueueOptions.fromJson(new JsonObject());

    assertThat(options.getPath()).isEqualTo(DurableQueueOptions.DEFAULT_PATH);
    assertThat(options.getMaxMessages()).isEqualTo(100_000);
    assertThat(options.getMaxBatch()).isEqualTo(512);
  }

  @Test
  void shouldReadSnakeCaseKeys() {
    DurableQueueOptions options = DurableQueueOptions.fromJson(new JsonObject()
      .put("path", "/var/lib/mesh/queue.db").put("max_messages", 10).put("max_batch", 4));

    assertThat(options.getPath()).isEqualTo("/var/lib/mesh/queue.db");
    assertThat(options.getMaxMessages()).isEqualTo(10);
    assertThat(options.getMaxBatch()).isEqualTo(4);
  }

  @Test
  void shouldNameTheBadValueWhenRejectingIt() {
    assertThatThrownBy(() -> new DurableQueueOptions().setMaxMessages(0))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMessages").hasMessageContaining("0");
    assertThatThrownBy(() -> new DurableQueueOptions().setMaxBatch(-3))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBatch").hasMessageContaining("-3");
    assertThatThrownBy(() -> DurableQueueOptions.fromJson(new JsonObject().put("path", " ")))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("path");
  }

  @Test
  void shouldRejectNonStringHeaders() {
    assertThatThrownBy(() -> QueuedMessage.unstored("id", "t", null, "v", new JsonObject().put("n", 1)))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'n'");
  }
}
