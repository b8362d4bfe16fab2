package io.meshnode.redis;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshFailure;
import io.meshnode.contract.MeshField;
import io.meshnode.resilience.DependencyProbe;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.util.List;

/**
 * Owns the Redis client and the internal Redis addresses. Requests arrive validated from the resilience verticle;
 * any Redis failure is answered 503, which the resilience layer retries, counts and falls back on.
 *
 * <p>Config section {@code redis}: see {@link RedisSettings}.
 */
public final class RedisVerticle extends VerticleBase {

  private Redis client;
  private RedisAPI redis;

  @Override
  public Future<?> start() {
    JsonObject config = config().getJsonObject("redis", new JsonObject());
    client = Redis.createClient(vertx, RedisSettings.fromJson(config));
    redis = RedisAPI.api(client);
    DependencyProbe.start(vertx, "redis", DependencyProbe.intervalMillis(config, "redis"),
      () -> redis.ping(List.of()));
    return Future.all(
      vertx.eventBus().<JsonObject>localConsumer(MeshAddress.INTERNAL_REDIS_GET, this::get).completion(),
      vertx.eventBus().<JsonObject>localConsumer(MeshAddress.INTERNAL_REDIS_SET, this::set).completion(),
      vertx.eventBus().<JsonObject>localConsumer(MeshAddress.INTERNAL_REDIS_DEL, this::del).completion());
  }

  @Override
  public Future<?> stop() {
    return client.close();
  }

  private void get(Message<JsonObject> msg) {
    String key = msg.body().getString(MeshField.KEY);
    answer(msg, redis.get(key).map(value -> new JsonObject().put(MeshField.KEY, key)
      .put(MeshField.VALUE, value == null ? null : value.toString())));
  }

  private void set(Message<JsonObject> msg) {
    JsonObject body = msg.body();
    String key = body.getString(MeshField.KEY);
    Long ttl = body.getLong(MeshField.TTL_SECONDS);
    List<String> args = ttl == null
      ? List.of(key, body.getString(MeshField.VALUE))
      : List.of(key, body.getString(MeshField.VALUE), "EX", Long.toString(ttl));
    answer(msg, redis.set(args).map(ok -> new JsonObject().put(MeshField.KEY, key).put(MeshField.STORED, true)
      .put(MeshField.MEMORY_ONLY, false)));
  }

  private void del(Message<JsonObject> msg) {
    String key = msg.body().getString(MeshField.KEY);
    answer(msg, redis.del(List.of(key)).map(count -> new JsonObject().put(MeshField.KEY, key)
      .put(MeshField.DELETED, deleted(count)).put(MeshField.MEMORY_ONLY, false)));
  }

  private static boolean deleted(Response count) {
    return count != null && count.toInteger() > 0;
  }

  private static void answer(Message<JsonObject> msg, Future<JsonObject> result) {
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result());
      } else {
        msg.fail(MeshFailure.UNAVAILABLE, "redis: " + ar.cause().getMessage());
      }
    });
  }
}
