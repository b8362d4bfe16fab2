package io.meshnode.bootstrap;

import io.meshnode.Main;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A key the schema does not declare, in any of the three files, stops start naming its full path. */
@ExtendWith(VertxExtension.class)
class UnknownKeysTest {

  private static final Path SHIPPED_CONF = Path.of("conf");
  private static final Path SHIPPED_VERTICLES = Path.of("verticles.json");
  private static final String APPLICATION = "application.yaml";
  private static final String RESILIENCE = "resilience.yaml";

  @TempDir
  Path conf;

  /** The shipped conf in {@link #conf}, with {@code from} replaced by {@code to} in {@code file} (exactly once). */
  private Path shippedConfWith(String file, String from, String to) throws IOException {
    for (String name : new String[] {APPLICATION, RESILIENCE}) {
      Files.copy(SHIPPED_CONF.resolve(name), conf.resolve(name));
    }
    String text = Files.readString(conf.resolve(file));
    assertThat(text.indexOf(from)).as(from + " once in " + file).isNotNegative()
      .isEqualTo(text.lastIndexOf(from));
    Files.writeString(conf.resolve(file), text.replace(from, to));
    return conf;
  }

  private static void assertRefused(Vertx vertx, VertxTestContext test, Path confDir, String message) {
    ConfigLoader.load(vertx, confDir, Map.of()).onComplete(test.failing(failure -> test.verify(() -> {
      assertThat(failure).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("the shipped conf and verticles.json declare only known keys")
  void shouldAcceptTheShippedFiles(Vertx vertx, VertxTestContext test) throws IOException {
    JsonObject descriptor = new JsonObject(Files.readString(SHIPPED_VERTICLES));
    assertThatCode(() -> DeploymentPlan.fromJson(descriptor, "client")).doesNotThrowAnyException();
    ConfigLoader.load(vertx, SHIPPED_CONF, Map.of()).onComplete(test.succeedingThenComplete());
  }

  @Test
  @DisplayName("a misspelt key in resilience.yaml stops start, naming its full path and the nearest key")
  void shouldRefuseAMisspeltResilienceKey(Vertx vertx, VertxTestContext test) throws IOException {
    assertRefused(vertx, test, shippedConfWith(RESILIENCE, "failure_threshold: 3", "failure_treshold: 3"),
      "invalid config resilience.circuit_breakers.redis.failure_treshold: unknown key; did you mean failure_threshold?");
  }

  @Test
  @DisplayName("a misspelt key in application.yaml stops start, naming its full path and the nearest key")
  void shouldRefuseAMisspeltApplicationKey(Vertx vertx, VertxTestContext test) throws IOException {
    assertRefused(vertx, test, shippedConfWith(APPLICATION, "  bootstrap_servers:", "  bootstrap_server:"),
      "invalid config kafka.bootstrap_server: unknown key; did you mean bootstrap_servers?");
  }

  @Test
  @DisplayName("a misspelt key below a name the user chose is named with that name")
  void shouldRefuseAMisspeltKeyOfANamedStatement(Vertx vertx, VertxTestContext test) throws IOException {
    assertRefused(vertx, test, shippedConfWith(APPLICATION, "mode: write", "mdoe: write"),
      "invalid config postgres.statements.insert_event.mdoe: unknown key; did you mean mode?");
  }

  @Test
  @DisplayName("a kafka-clients producer property that the library does not know stops start, naming the nearest")
  void shouldRefuseAMisspeltProducerProperty(Vertx vertx, VertxTestContext test) throws IOException {
    assertRefused(vertx, test, shippedConfWith(APPLICATION, "producer: {}", "producer: {lingr.ms: 5}"),
      "invalid config kafka.producer.\"lingr.ms\": unknown kafka-clients producer property; did you mean linger.ms?");
  }

  @Test
  @DisplayName("a misspelt key of a subscription is named with the subscription's index")
  void shouldRefuseAMisspeltSubscriptionKey(Vertx vertx, VertxTestContext test) throws IOException {
    assertRefused(vertx, test, shippedConfWith(APPLICATION, "subscriptions: []",
        "subscriptions: [{topic: t, group: g, adress: a.b, dead_letter_topic: t.dlq}]"),
      "invalid config kafka.subscriptions[0].adress: unknown key; did you mean address?");
  }

  @Test
  @DisplayName("an unknown key like no known one is refused without a suggestion")
  void shouldSuggestNothingWhenNothingIsClose(Vertx vertx, VertxTestContext test) throws IOException {
    assertRefused(vertx, test, shippedConfWith(APPLICATION, "  port: 8080", "  port: 8080\n  colour: blue"),
      "invalid config web.colour: unknown key");
  }

  @Test
  @DisplayName("a misspelt key in verticles.json stops start before anything deploys")
  void shouldRefuseAMisspeltVerticlesKey(Vertx vertx, VertxTestContext test) throws IOException {
    Files.writeString(conf.resolve("verticles.json"), Files.readString(SHIPPED_VERTICLES)
      .replace("\"name\": \"web\", \"class\"", "\"name\": \"web\", \"clas\""));
    Main.start(vertx, SHIPPED_CONF, conf.resolve("verticles.json")).onComplete(test.failing(failure ->
      test.verify(() -> {
        assertThat(failure).hasMessage("invalid verticles.json verticles[2].clas: unknown key; did you mean class?");
        assertThat(vertx.deploymentIDs()).isEmpty();
        test.completeNow();
      })));
  }

  @Test
  @DisplayName("the nearest key is within one edit per three characters, transpositions counting one")
  void shouldOfferOnlyCloseKeys() {
    assertThat(NearestKey.distance("gruop", "group")).isEqualTo(1);
    assertThat(NearestKey.among("gruop", List.of("group", "topic"))).contains("group");
    assertThat(NearestKey.among("colour", List.of("host", "port"))).isEmpty();
    assertThatThrownBy(() -> UnknownKeys.check("config", "", new JsonObject().put("webb", new JsonObject()),
      ConfigSchema.APPLICATION)).hasMessage("invalid config webb: unknown key; did you mean web?");
  }
}
