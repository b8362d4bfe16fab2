package io.meshnode.bootstrap;

import io.meshnode.resilience.ResilienceConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code MESH_<SECTION>__<KEY>…} variables through {@link ConfigLoader#load(Vertx, Path, Map)} on the shipped conf. */
@ExtendWith(VertxExtension.class)
class EnvironmentRuleTest {

  private static final Path SHIPPED_CONF = Path.of("conf");
  private static final String REDIS_THRESHOLD = "MESH_RESILIENCE__CIRCUIT_BREAKERS__REDIS__FAILURE_THRESHOLD";

  private static void loaded(Vertx vertx, VertxTestContext test, Map<String, String> env, Consumer<JsonObject> check) {
    ConfigLoader.load(vertx, SHIPPED_CONF, env).onComplete(test.succeeding(config -> test.verify(() -> {
      check.accept(config);
      test.completeNow();
    })));
  }

  private static void refused(Vertx vertx, VertxTestContext test, Map<String, String> env, String message) {
    ConfigLoader.load(vertx, SHIPPED_CONF, env).onComplete(test.failing(failure -> test.verify(() -> {
      assertThat(failure).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("a nested resilience key set from the environment reaches the breaker it configures")
  void shouldOverrideANestedResilienceKey(Vertx vertx, VertxTestContext test) {
    loaded(vertx, test, Map.of(REDIS_THRESHOLD, "5"), config -> {
      JsonObject resilience = config.getJsonObject("resilience");
      assertThat(resilience.getJsonObject("circuit_breakers").getJsonObject("redis").getValue("failure_threshold"))
        .isEqualTo(5);
      assertThat(ResilienceConfig.fromJson(resilience).breakers().get("redis").failureThreshold()).isEqualTo(5);
      assertThat(ResilienceConfig.fromJson(resilience).breakers().get("database").failureThreshold()).isEqualTo(5);
    });
  }

  @Test
  @DisplayName("a level matches a key whose dots are read as underscores, such as a route's address")
  void shouldReachARouteKeyWithDots(Vertx vertx, VertxTestContext test) {
    loaded(vertx, test, Map.of("MESH_RESILIENCE__ROUTES__MESH_REDIS_GET__TIMEOUT", "database_query"), config -> {
      JsonObject routes = config.getJsonObject("resilience").getJsonObject("routes");
      assertThat(routes.getJsonObject("mesh.redis.get").getString("timeout")).isEqualTo("database_query");
      assertThat(routes.getJsonObject("mesh.redis.set").getString("timeout")).isEqualTo("redis_operation");
      assertThat(ResilienceConfig.fromJson(config.getJsonObject("resilience")).routes().get("mesh.redis.get")
        .timeout()).isEqualTo(Duration.ofSeconds(10));
    });
  }

  @Test
  @DisplayName("a value is typed like the key it replaces: number, boolean, string, lists, kafka-clients properties")
  void shouldTypeValuesLikeTheirKeys(Vertx vertx, VertxTestContext test) {
    loaded(vertx, test, Map.of(
      "MESH_RESILIENCE__RETRY_POLICIES__REDIS__INITIAL_DELAY", "0.25",
      "MESH_RESILIENCE__TIMEOUTS__REDIS_OPERATION", "2",
      "MESH_kafka__restrict_topics", "TRUE",
      "MESH_KAFKA__TOPICS", "orders, payments",
      "MESH_POSTGRES__SCHEMA", "['CREATE TABLE a (x int, y int)', \"CREATE INDEX i ON a (x)\"]",
      "MESH_WEB__HOST", "127.0.0.1",
      "MESH_KAFKA__PRODUCER__LINGER_MS", "5"), config -> {
        JsonObject resilience = config.getJsonObject("resilience");
        assertThat(resilience.getJsonObject("retry_policies").getJsonObject("redis").getValue("initial_delay"))
          .isEqualTo(0.25);
        assertThat(resilience.getJsonObject("timeouts").getValue("redis_operation")).isEqualTo(2);
        JsonObject kafka = config.getJsonObject("kafka");
        assertThat(kafka.getValue("restrict_topics")).isEqualTo(true);
        assertThat(kafka.getJsonArray("topics")).isEqualTo(new JsonArray().add("orders").add("payments"));
        assertThat(kafka.getJsonObject("producer").getValue("linger.ms")).isEqualTo("5");
        assertThat(config.getJsonObject("postgres").getJsonArray("schema"))
          .isEqualTo(new JsonArray().add("CREATE TABLE a (x int, y int)").add("CREATE INDEX i ON a (x)"));
        assertThat(config.getJsonObject("web").getValue("host")).isEqualTo("127.0.0.1");
      });
  }

  @Test
  @DisplayName("a malformed number stops start, naming the variable and the key it sets")
  void shouldRefuseAMalformedNumber(Vertx vertx, VertxTestContext test) {
    refused(vertx, test, Map.of(REDIS_THRESHOLD, "five"), "invalid environment " + REDIS_THRESHOLD
      + ": must be an integer (it sets resilience.circuit_breakers.redis.failure_threshold), got 'five'");
  }

  @Test
  @DisplayName("a variable naming no known key stops start, naming it and the nearest key's variable")
  void shouldRefuseAnUnknownVariable(Vertx vertx, VertxTestContext test) {
    refused(vertx, test, Map.of("MESH_RESILIENCE__CIRCUIT_BREAKERS__REDIS__FAILURE_TRESHOLD", "5"),
      "invalid environment MESH_RESILIENCE__CIRCUIT_BREAKERS__REDIS__FAILURE_TRESHOLD: unknown key "
        + "resilience.circuit_breakers.redis.failure_treshold; did you mean "
        + "resilience.circuit_breakers.redis.failure_threshold (" + REDIS_THRESHOLD + ")?");
  }

  @Test
  @DisplayName("below user-chosen names a variable reaches only a name the files declare")
  void shouldRefuseANameTheFilesDoNotDeclare(Vertx vertx, VertxTestContext test) {
    refused(vertx, test, Map.of("MESH_RESILIENCE__CIRCUIT_BREAKERS__REDDIS__TIMEOUT", "5"),
      "invalid environment MESH_RESILIENCE__CIRCUIT_BREAKERS__REDDIS__TIMEOUT: unknown key "
        + "resilience.circuit_breakers.reddis; did you mean resilience.circuit_breakers.redis "
        + "(MESH_RESILIENCE__CIRCUIT_BREAKERS__REDIS__TIMEOUT)?");
  }

  @Test
  @DisplayName("a variable naming a section rather than a value stops start")
  void shouldRefuseASection(Vertx vertx, VertxTestContext test) {
    refused(vertx, test, Map.of("MESH_RESILIENCE__CIRCUIT_BREAKERS__REDIS", "5"),
      "invalid environment MESH_RESILIENCE__CIRCUIT_BREAKERS__REDIS: resilience.circuit_breakers.redis is a "
        + "section, not a value: name one of its keys");
  }

  @Test
  @DisplayName("file < rule variable < alias: MESH_HTTP_PORT wins over MESH_WEB__PORT, which wins over the file")
  void shouldLetTheAliasWinOverTheRule(Vertx vertx, VertxTestContext test) {
    ConfigLoader.load(vertx, SHIPPED_CONF, Map.of("MESH_WEB__PORT", "9091"))
      .compose(ruleOnly -> ConfigLoader.load(vertx, SHIPPED_CONF, Map.of("MESH_WEB__PORT", "9091",
          "MESH_HTTP_PORT", "9092"))
        .onComplete(test.succeeding(both -> test.verify(() -> {
          assertThat(ruleOnly.getJsonObject("web").getInteger("port")).isEqualTo(9091);
          assertThat(both.getJsonObject("web").getInteger("port")).isEqualTo(9092);
          test.completeNow();
        }))));
  }

  @Test
  @DisplayName("the launcher's own variables and an empty rule variable change nothing and stop nothing")
  void shouldIgnoreVariablesOutsideTheRule(Vertx vertx, VertxTestContext test) {
    loaded(vertx, test, Map.of("MESH_CONF_DIR", "elsewhere", "MESH_CLUSTER_HOST", "10.0.0.1", "MESH_KAFKA_PORT",
      "19092", "MESH_PROFILE", "client", "OTHER__TOOL__SETTING", "x", REDIS_THRESHOLD, ""), config ->
      assertThat(config.getJsonObject("resilience").getJsonObject("circuit_breakers").getJsonObject("redis")
        .getValue("failure_threshold")).isEqualTo(3));
  }

  @Test
  @DisplayName("a list of mappings is a YAML flow list, its keys checked like the files'")
  void shouldReadAListOfMappings(Vertx vertx, VertxTestContext test) {
    String variable = "MESH_KAFKA__SUBSCRIPTIONS";
    String good = "[{topic: t, group: g, address: a.b, dead_letter_topic: d}]";
    ConfigLoader.load(vertx, SHIPPED_CONF, Map.of(variable, good))
      .compose(loaded -> ConfigLoader.load(vertx, SHIPPED_CONF, Map.of(variable, "[{topic: t, group: g, adress: a.b}]"))
        .onComplete(test.failing(failure -> test.verify(() -> {
          assertThat(loaded.getJsonObject("kafka").getJsonArray("subscriptions").getJsonObject(0).getString("address"))
            .isEqualTo("a.b");
          assertThat(failure).hasMessage("invalid environment " + variable + ": invalid config "
            + "kafka.subscriptions[0].adress: unknown key; did you mean address?");
          test.completeNow();
        }))));
  }
}
