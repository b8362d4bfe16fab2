package io.meshnode;

import io.meshnode.client.MeshClient;
import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshFailure;
import io.meshnode.contract.MeshHeader;
import io.meshnode.support.Rejection;
import io.meshnode.support.TestKafka;
import io.meshnode.support.TestNode;
import io.meshnode.support.TopicReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A corpus of bad requests for every public address — written cases and generated ones — each of which must get a
 * coded 400/404 that says what is wrong, with no retry, no breaker move, the node healthy and nothing written to
 * Kafka, PostgreSQL or Redis.
 */
@ExtendWith(VertxExtension.class)
class BadInputCorpusIT {

  private static final int GENERATED_PER_ADDRESS = 30;

  /** One bad request and what its rejection must say. */
  private record Case(String address, Object body, String timeoutHeader, int code, String mentions) {
  }

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String topic = "corpus-" + run;
  private final String kind = "corpus-" + run;
  private final Random random = new Random(42);
  private Vertx vertx;
  private TestNode node;

  @BeforeEach
  void startNode(VertxTestContext test) {
    String kafka = TestKafka.bootstrapServers();
    vertx = TestNode.newVertx();
    TestNode.deploy(vertx, config -> config.getJsonObject("kafka").put("bootstrap_servers", kafka))
      .onComplete(test.succeeding(deployed -> {
        node = deployed;
        test.completeNow();
      }));
  }

  @AfterEach
  void stopNode(VertxTestContext test) {
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  private static List<Object> notObjects() {
    return List.of("not json", "", "{\"key\":\"k\"}", 42, 4.2, true, new JsonArray().add(1), new JsonArray(),
      Long.MAX_VALUE, new byte[] {1, 2, 3});
  }

  private static List<Object> notStrings() {
    return List.of(7, 7.5, false, new JsonObject(), new JsonArray().add("k"), "");
  }

  private String controlKey(int i) {
    char control = (char) (random.nextInt(32) == 0 ? 127 : random.nextInt(32));
    return "corpus:" + run + ":" + i + control + "x";
  }

  private List<Case> keyCases(String address) {
    List<Case> cases = new ArrayList<>();
    notObjects().forEach(body -> cases.add(new Case(address, body, null, 400, "body")));
    cases.add(new Case(address, new JsonObject(), null, 400, "key"));
    cases.add(new Case(address, new JsonObject().putNull("key"), null, 400, "key"));
    notStrings().forEach(key -> cases.add(new Case(address, new JsonObject().put("key", key), null, 400, "key")));
    for (String crlf : List.of("a\r\nFLUSHALL", "a\nDEL x", "a\u0000b", "\t", "a\rb")) {
      cases.add(new Case(address, new JsonObject().put("key", crlf), null, 400, "control"));
    }
    cases.add(new Case(address, new JsonObject().put("key", "k".repeat(1025)), null, 400, "1024"));
    cases.add(new Case(address, new JsonObject().put("key", "k").put("keys", new JsonArray()), null, 400, "'keys'"));
    for (String timeout : List.of("-1", "0", "abc", "1.5", "", " ", "99999999999999999999", "86400001")) {
      cases.add(new Case(address, new JsonObject().put("key", "k"), timeout, 400, "mesh-timeout-ms"));
    }
    for (int i = 0; i < GENERATED_PER_ADDRESS; i++) {
      cases.add(new Case(address, new JsonObject().put("key", controlKey(i)), null, 400, "key"));
    }
    return cases;
  }

  private List<Case> setCases() {
    List<Case> cases = keyCases(MeshAddress.REDIS_SET).stream()
      .map(c -> c.body() instanceof JsonObject json && json.getValue("key") != null
        ? new Case(c.address(), json.copy().put("value", "v"), c.timeoutHeader(), c.code(), c.mentions()) : c)
      .collect(Collectors.toCollection(ArrayList::new));
    String key = "corpus:" + run + ":set";
    cases.add(new Case(MeshAddress.REDIS_SET, new JsonObject().put("key", key), null, 400, "value"));
    cases.add(new Case(MeshAddress.REDIS_SET, new JsonObject().put("key", key).put("value", "v").put("ttl", 60), null,
      400, "'ttl'"));
    notStrings().stream().filter(v -> !"".equals(v)).forEach(value ->
      cases.add(new Case(MeshAddress.REDIS_SET, new JsonObject().put("key", key).put("value", value), null, 400, "value")));
    cases.add(new Case(MeshAddress.REDIS_SET, new JsonObject().put("key", key).put("value", "x".repeat(1_048_577)),
      null, 400, "1048576"));
    for (Object ttl : List.of(0, -1, 1.5, "10", true, new JsonObject(), 4_000_000_000_000_000L, Long.MAX_VALUE)) {
      cases.add(new Case(MeshAddress.REDIS_SET, new JsonObject().put("key", key).put("value", "v").put("ttlSeconds", ttl),
        null, 400, "ttlSeconds"));
    }
    return cases;
  }

  private List<Case> publishCases() {
    String address = MeshAddress.KAFKA_PUBLISH;
    List<Case> cases = new ArrayList<>();
    notObjects().forEach(body -> cases.add(new Case(address, body, null, 400, "body")));
    Function<Object, JsonObject> withTopic = t -> new JsonObject().put("topic", t).put("value", "v");
    cases.add(new Case(address, new JsonObject().put("value", "v"), null, 400, "topic"));
    notStrings().forEach(t -> cases.add(new Case(address, withTopic.apply(t), null, 400, "topic")));
    for (String bad : List.of("has space", "slash/topic", "semi;colon", "t".repeat(250), "ünïcode", "a\nb", "*", ".",
      "..", "__consumer_offsets")) {
      cases.add(new Case(address, withTopic.apply(bad), null, 400, "topic"));
    }
    cases.add(new Case(address, new JsonObject().put("topic", topic), null, 400, "value"));
    cases.add(new Case(address, withTopic.apply(topic).put("id", "mine"), null, 400, "'id'"));
    cases.add(new Case(address, new JsonObject().put("topic", topic).putNull("value"), null, 400, "value"));
    cases.add(new Case(address, new JsonObject().put("topic", topic).put("value", "x".repeat(1_048_577)), null, 400, "1048576"));
    for (Object key : List.of(1, true, new JsonObject(), new JsonArray())) {
      cases.add(new Case(address, withTopic.apply(topic).put("key", key), null, 400, "key"));
    }
    for (Object headers : List.of("h", 1, new JsonArray(), new JsonObject().put("h", 1),
      new JsonObject().put("h", new JsonObject()), new JsonObject().put("ok", "v").put("bad", false))) {
      cases.add(new Case(address, withTopic.apply(topic).put("headers", headers), null, 400, "headers"));
    }
    for (String timeout : List.of("-1", "0", "abc", "1e3")) {
      cases.add(new Case(address, withTopic.apply(topic), timeout, 400, "mesh-timeout-ms"));
    }
    for (int i = 0; i < GENERATED_PER_ADDRESS; i++) {
      cases.add(new Case(address, withTopic.apply(topic + "/" + i + "\u0001"), null, 400, "topic"));
    }
    return cases;
  }

  private List<Case> queryCases() {
    String address = MeshAddress.PG_QUERY;
    List<Case> cases = new ArrayList<>();
    notObjects().forEach(body -> cases.add(new Case(address, body, null, 400, "body")));
    cases.add(new Case(address, new JsonObject(), null, 400, "query"));
    notStrings().forEach(q -> cases.add(new Case(address, new JsonObject().put("query", q), null, 400, "query")));
    for (String unknown : List.of("DROP TABLE mesh_events", "SELECT 1", "insert_event; --", "Insert_Event", "x")) {
      cases.add(new Case(address, new JsonObject().put("query", unknown), null, 404, "unknown named query"));
    }
    Function<JsonArray, JsonObject> insert = params -> new JsonObject().put("query", "insert_event").put("params", params);
    for (Object params : List.of("p", 1, new JsonObject(), true)) {
      cases.add(new Case(address, new JsonObject().put("query", "insert_event").put("params", params), null, 400, "params"));
    }
    cases.add(new Case(address, insert.apply(new JsonArray()), null, 400, "2"));
    cases.add(new Case(address, insert.apply(new JsonArray().add(kind)), null, 400, "2"));
    cases.add(new Case(address, insert.apply(new JsonArray().add(kind).add("a").add("b")), null, 400, "2"));
    cases.add(new Case(address, insert.apply(new JsonArray().add(kind).add(new JsonObject())), null, 400, "params[1]"));
    cases.add(new Case(address, insert.apply(new JsonArray().add(kind).add(new JsonArray())), null, 400, "params[1]"));
    cases.add(new Case(address, insert.apply(new JsonArray().add(kind).add("x".repeat(1_048_577))), null, 400, "1048576"));
    cases.add(new Case(address, new JsonObject().put("query", "events_by_kind")
      .put("params", new JsonArray().add(kind).add("ten")), null, 400, "params[1]"));
    cases.add(new Case(address, insert.apply(new JsonArray().add(kind).add(1)), null, 400, "params[1]"));
    cases.add(new Case(address, insert.apply(new JsonArray().add(kind).add("p")).put("param", 1), null, 400, "'param'"));
    for (int i = 0; i < GENERATED_PER_ADDRESS; i++) {
      JsonArray params = new JsonArray().add(kind);
      for (int p = 0; p <= 2 + random.nextInt(3); p++) {
        params.add("'); DELETE FROM mesh_events; --" + p);
      }
      cases.add(new Case(address, insert.apply(params), null, 400, "params"));
    }
    return cases;
  }

  private Future<ReplyException> send(Case c) {
    DeliveryOptions options = new DeliveryOptions();
    if (c.timeoutHeader() != null) {
      options.addHeader(MeshHeader.TIMEOUT_MS, c.timeoutHeader());
    }
    return Rejection.of(vertx.eventBus().request(c.address(), c.body(), options));
  }

  @Test
  void shouldAnswerEveryBadRequestWithACodeAndChangeNothing(VertxTestContext test) {
    List<Case> cases = new ArrayList<>();
    cases.addAll(keyCases(MeshAddress.REDIS_GET));
    cases.addAll(keyCases(MeshAddress.REDIS_DEL));
    cases.addAll(setCases());
    cases.addAll(publishCases());
    cases.addAll(queryCases());
    Map<String, Long> perAddress = cases.stream().collect(Collectors.groupingBy(Case::address, Collectors.counting()));
    test.verify(() -> assertThat(perAddress.values()).allMatch(count -> count >= 50));

    List<Future<ReplyException>> replies = cases.stream().map(this::send).toList();
    MeshClient mesh = MeshClient.create(vertx);
    Future.join(replies).otherwiseEmpty()
      .compose(v -> {
        test.verify(() -> {
          for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            assertThat(replies.get(i).succeeded()).as("case %d %s answered with a coded failure", i, c).isTrue();
            ReplyException reply = replies.get(i).result();
            assertThat(reply.failureCode()).as("code of case %d %s: %s", i, c, reply.getMessage()).isEqualTo(c.code());
            assertThat(reply.getMessage()).as("message of case %d %s", i, c).contains(c.mentions());
          }
        });
        return node.metrics();
      })
      .compose(metrics -> {
        test.verify(() -> {
          for (String operation : List.of("cache_read", "cache_write", "cache_delete", "kafka_publish", "database_query")) {
            assertThat(TestNode.sample(metrics, "retry_attempts_total{operation=\"" + operation + "\"}")).isZero();
            assertThat(TestNode.sample(metrics, "fallback_invocations_total{operation=\"" + operation + "\"}")).isZero();
          }
          for (String service : List.of("redis", "kafka_producer", "database")) {
            assertThat(TestNode.sample(metrics, "circuit_breaker_state{service=\"" + service + "\"}")).isZero();
          }
        });
        return node.health();
      })
      .compose(health -> {
        test.verify(() -> {
          assertThat(health.getJsonObject("circuit_breakers").stream()
            .allMatch(e -> "closed".equals(e.getValue()))).isTrue();
          assertThat(health.getJsonObject("queue").getLong("depth")).as("queue depth").isZero();
          assertThat(health.getJsonObject("queue").getLong("dead")).as("dead letters").isZero();
        });
        return mesh.redis().get("corpus:" + run + ":set");
      })
      .compose(unwritten -> {
        test.verify(() -> assertThat(unwritten.body().getValue("value")).isNull());
        return mesh.postgres().query("events_by_kind", kind, 100);
      })
      .compose(rows -> {
        test.verify(() -> assertThat(rows.body().getInteger("rowCount")).isZero());
        return vertx.executeBlocking(() ->
          TopicReader.read(TestKafka.bootstrapServers(), topic, 1, Duration.ofSeconds(2)));
      })
      .onComplete(test.succeeding(records -> test.verify(() -> {
        assertThat(records).isEmpty();
        test.completeNow();
      })));
  }
}
