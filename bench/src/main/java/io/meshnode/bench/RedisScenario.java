package io.meshnode.bench;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshField;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * GET of a present key: {@code mesh.redis.get} vs a direct client configured like the Redis verticle's (the node's
 * {@code redis} section: {@code pipelined_connections} connections used round-robin, commands pipelined), vs one
 * pipelined connection, vs a pooled RedisAPI (a connection borrowed per command, the node's earlier client), vs the
 * raw hop, vs the one-hop floor measured ({@link OneHopBackend}).
 */
final class RedisScenario {

  static final String KEY = "mesh-bench:present";

  private RedisScenario() {
  }

  static ScenarioReport run(BenchOptions options, String kafka, PrintStream progress) {
    try (MeshNode node = MeshNode.deploy(options, kafka, Set.of(), config -> { })) {
      JsonObject redis = node.config().getJsonObject("redis");
      ClosedLoop loop = ClosedLoop.deployAwayFrom(node);
      NoOpBackend.deploy(node.vertx(), NoOpBackend.HOP_ADDRESS, new JsonObject().put(MeshField.KEY, KEY)
        .put(MeshField.VALUE, "x".repeat(100)));
      RedisAPI pooled = loop.onLoop("create the pooled Redis client", () -> {
        RedisAPI api = RedisAPI.api(Redis.createClient(node.vertx(), poolLikeTheNode(redis)));
        return api.set(List.of(KEY, "x".repeat(100))).map(ok -> api);
      });
      loop.cpu().alsoCount(loop.onLoop("ask redis-server its pid", () -> pooled.info(List.of("server"))
        .map(info -> processId(info.toString()))));
      int connections = redis.getInteger("pipelined_connections", 1);
      RedisConnection[] likeTheNode = new RedisConnection[connections];
      for (int i = 0; i < connections; i++) {
        likeTheNode[i] = loop.onLoop("connect the direct Redis connection " + i,
          () -> Redis.createClient(node.vertx(), poolLikeTheNode(redis)).connect());
      }
      int[] nextConnection = {0};
      RedisConnection pipelined = loop.onLoop("connect the pipelined Redis connection", () ->
        Redis.createClient(node.vertx(), new RedisOptions().setConnectionString(redis.getString("url"))
          .setMaxWaitingHandlers(1 << 16)).connect());
      OneHopBackend.deployAwayFrom(node.vertx(), loop, () -> oneHopGet(node, redis, connections));
      EventBus bus = node.vertx().eventBus();
      Variant mesh = new Variant("mesh", () -> bus.request(MeshAddress.REDIS_GET,
        new JsonObject().put(MeshField.KEY, KEY)));
      String placement = Placement.probe(node, loop, mesh);
      Measurements m = Rotation.measure(loop, List.of(mesh,
        new Variant("direct", () -> {
          nextConnection[0] = (nextConnection[0] + 1) % connections;
          return likeTheNode[nextConnection[0]].send(Request.cmd(Command.GET).arg(KEY));
        }),
        new Variant("pooled", () -> pooled.get(KEY)),
        new Variant("pipelined", () -> pipelined.send(Request.cmd(Command.GET).arg(KEY))),
        new Variant("hop", () -> bus.request(NoOpBackend.HOP_ADDRESS, new JsonObject().put(MeshField.KEY, KEY))),
        new Variant(Report.ONE_HOP, () -> bus.request(OneHopBackend.ADDRESS, new JsonObject().put(MeshField.KEY, KEY)))),
        options, progress);
      return ScenarioReport.of("redis", "GET of a present key (" + options.inflight() + " in flight; direct = the Redis "
          + "verticle's client: " + connections + " pipelined connections; pipelined = one connection; pooled = a "
          + "connection borrowed per command)", m, "mesh", "direct", "hop")
        .note(placement)
        .note(String.format("pipelined / direct = %.2f (the best direct configuration)",
          Report.median(m.loaded("pipelined"), Sample::opsPerSecond)
            / Report.median(m.loaded("direct"), Sample::opsPerSecond)))
        .note("target: mesh/F >= 0.9; 1 in flight: mesh p50 <= direct p50 + 1.2 x hop p50");
    }
  }

  /** {@code process_id} of an INFO reply (0 when absent: then redis-server's CPU is not counted). */
  private static long processId(String info) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("process_id:")) {
        return Long.parseLong(line.substring("process_id:".length()).trim());
      }
    }
    return 0;
  }

  /** The one-hop backend's GET: connections like the node's, used round-robin, the Redis verticle's reply. */
  private static Future<Function<JsonObject, Future<JsonObject>>> oneHopGet(MeshNode node, JsonObject redis,
                                                                          int connections) {
    List<Future<RedisConnection>> connecting = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      connecting.add(Redis.createClient(node.vertx(), poolLikeTheNode(redis)).connect());
    }
    return Future.all(connecting).map(all -> {
      int[] next = {0};
      return request -> {
        next[0] = (next[0] + 1) % connections;
        String key = request.getString(MeshField.KEY);
        return connecting.get(next[0]).result().send(Request.cmd(Command.GET).arg(key))
          .map(value -> new JsonObject().put(MeshField.KEY, key).put(MeshField.VALUE, value == null ? null : value.toString()));
      };
    });
  }

  /** The Redis verticle's client options (RedisSettings, package-private in the node): same keys and defaults. */
  private static RedisOptions poolLikeTheNode(JsonObject redis) {
    return new RedisOptions().setConnectionString(redis.getString("url", "redis://127.0.0.1:6379"))
      .setMaxPoolSize(redis.getInteger("max_pool_size", 8))
      .setMaxPoolWaiting(redis.getInteger("max_pool_waiting", 4096))
      .setMaxWaitingHandlers(redis.getInteger("max_waiting_handlers", 16_384));
  }
}
