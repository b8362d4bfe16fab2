package io.meshnode.resilience;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxExtension.class)
class ResilienceConfigTest {

  @Test
  void shouldLoadTheShippedConfWithTheSpecsValues(Vertx vertx, VertxTestContext test) {
    io.meshnode.bootstrap.ConfigLoader.load(vertx, Path.of("conf")).onComplete(test.succeeding(config -> test.verify(() -> {
      ResilienceConfig resilience = ResilienceConfig.fromJson(config.getJsonObject("resilience"));
      assertThat(resilience.breakers().get("kafka_producer"))
        .isEqualTo(new BreakerOptions("kafka_producer", 5, 2, Duration.ofSeconds(60)));
      assertThat(resilience.breakers().get("database"))
        .isEqualTo(new BreakerOptions("database", 5, 2, Duration.ofSeconds(60)));
      assertThat(resilience.breakers().get("redis"))
        .isEqualTo(new BreakerOptions("redis", 3, 2, Duration.ofSeconds(30)));
      RouteOptions publish = resilience.routes().get("mesh.kafka.publish");
      assertThat(publish.timeout()).isEqualTo(Duration.ofSeconds(30));
      assertThat(publish.retry().maxRetries()).isEqualTo(3);
      assertThat(resilience.routes().get("mesh.pg.query").timeout()).isEqualTo(Duration.ofSeconds(10));
      assertThat(resilience.routes().get("mesh.redis.get").timeout()).isEqualTo(Duration.ofSeconds(5));
      test.completeNow();
    })));
  }

  @Test
  void shouldNameAnUnknownBreakerInARoute(Vertx vertx, VertxTestContext test) {
    io.meshnode.bootstrap.ConfigLoader.load(vertx, Path.of("conf")).onComplete(test.succeeding(config -> test.verify(() -> {
      JsonObject resilience = config.getJsonObject("resilience");
      resilience.getJsonObject("routes").getJsonObject("mesh.redis.get").put("breaker", "memcached");
      assertThatThrownBy(() -> ResilienceConfig.fromJson(resilience))
        .hasMessageContaining("routes.mesh.redis.get.breaker").hasMessageContaining("'memcached'");
      test.completeNow();
    })));
  }

  @Test
  void shouldRejectANonPositiveThreshold() {
    assertThatThrownBy(() -> BreakerOptions.fromJson("redis", new JsonObject().put("failure_threshold", 0)))
      .hasMessageContaining("circuit_breakers.redis.failure_threshold").hasMessageContaining("got 0");
  }
}
