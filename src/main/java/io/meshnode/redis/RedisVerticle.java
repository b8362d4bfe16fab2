package io.meshnode.redis;

import io.meshnode.contract.InternalBackend;
import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshField;
import io.meshnode.resilience.BlamedFailures;
import io.meshnode.resilience.DependencyProbe;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.List;

/**
 * Owns the Redis client — a few pipelined connections ({@link PipelinedConnections}) — and the internal Redis
 * addresses (as {@link InternalBackend}s); a separate pooled client answers the health probe's PING. Requests arrive
 * validated from the resilience verticle. A failure is answered with the code of its {@link RedisFailures blame}: an
 * error reply that describes the request 400, credentials or permissions refused 500 (logged), anything else 503, which
 * the resilience layer retries, counts and falls back on.
 *
 * <p>Config section {@code redis}: see {@link RedisSettings}.
 */
public final class RedisVerticle extends VerticleBase {

  private final BlamedFailures failures =
    new BlamedFailures("redis", "redis.url, MESH_REDIS_PASSWORD and the user's ACL");
  private Redis probeClient;
  private PipelinedConnections redis;

  @Override
  public Future<?> start() {
    JsonObject config = config().getJsonObject("redis", new JsonObject());
    redis = new PipelinedConnections(Redis.createClient(vertx, RedisSettings.fromJson(config)),
      RedisSettings.pipelinedConnections(config), RedisSettings.maxWaitingHandlers(config));
    probeClient = Redis.createClient(vertx, RedisSettings.fromJson(config));
    RedisAPI probe = RedisAPI.api(probeClient);
    DependencyProbe.start(vertx, "redis", DependencyProbe.intervalMillis(config, "redis"),
      () -> probe.ping(List.of()));
    return Future.all(
      InternalBackend.register(vertx, context, MeshAddress.INTERNAL_REDIS_GET, this::get),
      InternalBackend.register(vertx, context, MeshAddress.INTERNAL_REDIS_SET, this::set),
      InternalBackend.register(vertx, context, MeshAddress.INTERNAL_REDIS_DEL, this::del));
  }

  @Override
  public Future<?> stop() {
    return redis.close().eventually(() -> probeClient.close());
  }

  private Future<JsonObject> get(JsonObject request) {
    String key = request.getString(MeshField.KEY);
    return answered(redis.send(Request.cmd(Command.GET).arg(key)).map(value -> new JsonObject().put(MeshField.KEY, key)
      .put(MeshField.VALUE, value == null ? null : value.toString())));
  }

  private Future<JsonObject> set(JsonObject request) {
    String key = request.getString(MeshField.KEY);
    Long ttl = request.getLong(MeshField.TTL_SECONDS);
    Request set = Request.cmd(Command.SET).arg(key).arg(request.getString(MeshField.VALUE));
    if (ttl != null) {
      set.arg("EX").arg(ttl);
    }
    return answered(redis.send(set).map(ok -> new JsonObject().put(MeshField.KEY, key)
      .put(MeshField.STORED, true).put(MeshField.MEMORY_ONLY, false)));
  }

  private Future<JsonObject> del(JsonObject request) {
    String key = request.getString(MeshField.KEY);
    return answered(redis.send(Request.cmd(Command.DEL).arg(key)).map(count -> new JsonObject().put(MeshField.KEY, key)
      .put(MeshField.DELETED, deleted(count)).put(MeshField.MEMORY_ONLY, false)));
  }

  private static boolean deleted(Response count) {
    return count != null && count.toInteger() > 0;
  }

  /** The reply, or the failure coded by whose fault it is. */
  private Future<JsonObject> answered(Future<JsonObject> result) {
    return result.recover(failure ->
      Future.failedFuture(failures.coded(RedisFailures.blame(failure), "redis", failure)));
  }
}
