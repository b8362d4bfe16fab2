package io.meshnode.resilience;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryOptionsTest {

  private static final JsonObject SPEC_KAFKA = new JsonObject()
    .put("max_retries", 3).put("initial_delay", 1.0).put("backoff_factor", 2.0).put("max_delay", 30.0);

  @Test
  void shouldFollowTheSpecsBackoffSchedule() {
    RetryOptions kafka = RetryOptions.fromJson("kafka", SPEC_KAFKA);

    assertThat(kafka.maxRetries()).isEqualTo(3);
    assertThat(kafka.delayMillis(1, () -> 0.5)).isEqualTo(1_000);
    assertThat(kafka.delayMillis(2, () -> 0.5)).isEqualTo(2_000);
    assertThat(kafka.delayMillis(3, () -> 0.5)).isEqualTo(4_000);
  }

  @Test
  void shouldCapDelaysAtMaxDelay() {
    RetryOptions kafka = RetryOptions.fromJson("kafka", SPEC_KAFKA);

    assertThat(kafka.delayMillis(5, () -> 0.5)).isEqualTo(16_000);
    assertThat(kafka.delayMillis(6, () -> 0.5)).isEqualTo(30_000);
    assertThat(kafka.delayMillis(20, () -> 0.5)).isEqualTo(30_000);
  }

  @Test
  void shouldSpreadDelaysWithinTheJitterBand() {
    RetryOptions jittered = RetryOptions.fromJson("kafka", SPEC_KAFKA.copy().put("jitter", 0.5));

    assertThat(jittered.delayMillis(2, () -> 0.0)).isEqualTo(2_000);
    assertThat(jittered.delayMillis(2, () -> 0.999_999)).isEqualTo(1_000);
    assertThat(jittered.delayMillis(2, () -> 0.5)).isEqualTo(1_500);
  }

  @Test
  void shouldNameTheKeyAndValueOfAnInvalidPolicy() {
    assertThatThrownBy(() -> RetryOptions.fromJson("kafka", SPEC_KAFKA.copy().put("max_retries", -1)))
      .hasMessageContaining("retry_policies.kafka.max_retries").hasMessageContaining("-1");
    assertThatThrownBy(() -> RetryOptions.fromJson("kafka", SPEC_KAFKA.copy().put("backoff_factor", "fast")))
      .hasMessageContaining("retry_policies.kafka.backoff_factor").hasMessageContaining("'fast'");
    assertThatThrownBy(() -> RetryOptions.fromJson("kafka", SPEC_KAFKA.copy().put("max_delay", 0.5)))
      .hasMessageContaining("retry_policies.kafka.max_delay");
  }
}
