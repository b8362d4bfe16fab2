package io.meshnode.redis;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshField;
import io.meshnode.support.RefusalDrill;
import io.meshnode.support.RefusalDrill.Refusal;
import io.meshnode.support.Rejection;
import io.meshnode.support.TestNode;
import io.meshnode.support.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

/**
 * Redis' refusals of one caller's requests (WRONGTYPE on every kind of key, and the validator's) are answered 400 at
 * once and never move the {@code redis} breaker, while a frozen Redis' real failures open it at exactly its
 * threshold: on a redis-server the test owns.
 */
@ExtendWith(VertxExtension.class)
class RedisRefusalsIT {

  private static final int FAILURE_THRESHOLD = 3;

  private final TestRedis redis = new TestRedis();
  private Vertx vertx;
  private TestNode node;

  @BeforeEach
  void startNode(VertxTestContext test) {
    redis.start();
    vertx = TestNode.newVertx();
    Redis client = Redis.createClient(vertx, redis.url());
    RedisAPI seed = RedisAPI.api(client);
    Future.all(List.of(seed.rpush(List.of("list", "a")), seed.hset(List.of("hash", "f", "v")),
        seed.sadd(List.of("set", "a")), seed.zadd(List.of("zset", "1", "a")), seed.xadd(List.of("stream", "*", "f", "v"))))
      .eventually(client::close)
      .compose(v -> TestNode.deploy(vertx, config -> {
        redis.configure(config);
        config.getJsonObject("kafka").put("bootstrap_servers", TestNode.UNREACHABLE_KAFKA);
        RefusalDrill.configure(config, "redis", FAILURE_THRESHOLD);
      }))
      .onComplete(test.succeeding(deployed -> {
        node = deployed;
        test.completeNow();
      }));
  }

  @AfterEach
  void stopNode(VertxTestContext test) {
    redis.thaw();
    redis.stop();
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  private static Refusal get(String kind, String key) {
    return new Refusal(kind, MeshAddress.REDIS_GET, new JsonObject().put(MeshField.KEY, key), "WRONGTYPE");
  }

  private static Refusal set(String kind, JsonObject body, String mentions) {
    return new Refusal(kind, MeshAddress.REDIS_SET, body.put(MeshField.KEY, "k"), mentions);
  }

  @Test
  void shouldAnswerRefusalsAt400AndOpenTheBreakerOnlyOnRealFailures(VertxTestContext test) {
    List<Refusal> refusals = List.of(
      get("GET on a list", "list"),
      get("GET on a hash", "hash"),
      get("GET on a set", "set"),
      get("GET on a sorted set", "zset"),
      get("GET on a stream", "stream"),
      set("TTL beyond what Redis and the node keep",
        new JsonObject().put(MeshField.VALUE, "v").put(MeshField.TTL_SECONDS, 4_000_000_000_000_000L), "ttlSeconds"),
      set("misspelt ttlSeconds", new JsonObject().put(MeshField.VALUE, "v").put("ttl", 60), "'ttl'"),
      set("negative TTL", new JsonObject().put(MeshField.VALUE, "v").put(MeshField.TTL_SECONDS, -5), "ttlSeconds"),
      new Refusal("field of another operation", MeshAddress.REDIS_DEL,
        new JsonObject().put(MeshField.KEY, "k").put(MeshField.VALUE, "v"), "'value'"));
    new RefusalDrill(node, "redis", FAILURE_THRESHOLD, this::frozenRead).run(refusals)
      .onComplete(test.succeedingThenComplete());
  }

  /** A read of a key the fallback does not hold, on a frozen Redis: one attempt, cut by the deadline. */
  private Future<Void> frozenRead() {
    return TestNode.blocking(vertx, redis::freeze)
      .compose(v -> Rejection.of(vertx.eventBus().request(MeshAddress.REDIS_GET,
        new JsonObject().put(MeshField.KEY, "never-cached"))))
      .eventually(() -> TestNode.blocking(vertx, redis::thaw))
      .mapEmpty();
  }
}
