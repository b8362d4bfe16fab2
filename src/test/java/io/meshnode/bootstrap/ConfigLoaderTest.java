package io.meshnode.bootstrap;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxExtension.class)
class ConfigLoaderTest {

  @Test
  void shouldLetEnvironmentVariablesOverrideConf() {
    JsonObject config = new JsonObject().put("web", new JsonObject().put("port", 8080));
    Map<String, String> env = Map.of("MESH_HTTP_PORT", "9090", "MESH_PG_PASSWORD", "s3cret",
      "MESH_REDIS_URL", "redis://cache:6379");

    EnvironmentOverrides.apply(config, env);

    assertThat(config.getJsonObject("web").getInteger("port")).isEqualTo(9090);
    assertThat(config.getJsonObject("postgres").getString("password")).isEqualTo("s3cret");
    assertThat(config.getJsonObject("redis").getString("url")).isEqualTo("redis://cache:6379");
  }

  @Test
  void shouldNameAMalformedVariable() {
    assertThatThrownBy(() -> EnvironmentOverrides.apply(new JsonObject(), Map.of("MESH_HTTP_PORT", "eighty")))
      .hasMessageContaining("MESH_HTTP_PORT").hasMessageContaining("'eighty'");
  }

  @Test
  void shouldRefuseAPasswordWrittenInAYamlFile(Vertx vertx, VertxTestContext test, @TempDir Path conf) throws Exception {
    Files.writeString(conf.resolve("application.yaml"), "postgres:\n  host: db\n  password: hunter2\n");
    Files.copy(Path.of("conf/resilience.yaml"), conf.resolve("resilience.yaml"));

    ConfigLoader.load(vertx, conf).onComplete(test.failing(failure -> test.verify(() -> {
      assertThat(failure).hasMessageContaining("passwords come only from the environment");
      assertThat(failure.getMessage()).doesNotContain("hunter2");
      test.completeNow();
    })));
  }

  @Test
  void shouldLoadResilienceUnderItsOwnKey(Vertx vertx, VertxTestContext test) {
    ConfigLoader.load(vertx, Path.of("conf")).onComplete(test.succeeding(config -> test.verify(() -> {
      assertThat(config.getJsonObject("resilience").getJsonObject("circuit_breakers").fieldNames())
        .containsExactlyInAnyOrder("kafka_producer", "database", "redis");
      assertThat(config.getJsonObject("web").getInteger("port")).isEqualTo(8080);
      test.completeNow();
    })));
  }
}
