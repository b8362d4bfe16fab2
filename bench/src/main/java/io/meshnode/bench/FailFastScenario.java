package io.meshnode.bench;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshField;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * Breaker open, dependency down: the node's {@code redis.url} points at a port nothing listens on; requests are
 * sent until {@code mesh.status.snapshot} shows the redis breaker open, then {@code mesh.redis.get} of a key the
 * cache fallback does not hold (a 503 from the breaker's fast failure) is measured against the raw hop. Every reply
 * counts, failures included: they are the fail-fast replies.
 */
final class FailFastScenario {

  private static final long OPEN_WITHIN_MILLIS = 60_000;

  private FailFastScenario() {
  }

  static ScenarioReport run(BenchOptions options, String kafka, PrintStream progress, BlockedThreads blocked) {
    String deadRedis = "redis://127.0.0.1:" + MeshNode.freePort();
    try (MeshNode node = MeshNode.deploy(options, kafka, Set.of(),
      config -> config.getJsonObject("redis").put("url", deadRedis))) {
      ClosedLoop loop = ClosedLoop.deployAwayFrom(node);
      NoOpBackend.deploy(node.vertx(), NoOpBackend.HOP_ADDRESS, new JsonObject().put(MeshField.KEY, "k"));
      EventBus bus = node.vertx().eventBus();
      Variant mesh = new Variant("mesh", () -> bus.request(MeshAddress.REDIS_GET,
        new JsonObject().put(MeshField.KEY, "mesh-bench:absent")));
      awaitOpen(node, loop, mesh, progress);
      long blockedBefore = blocked.count();
      Measurements m = Rotation.measure(loop, List.of(mesh,
        new Variant("hop", () -> bus.request(NoOpBackend.HOP_ADDRESS, new JsonObject().put(MeshField.KEY, "k")))),
        options, progress);
      return ScenarioReport.of("failfast", "redis breaker open (redis.url " + deadRedis + "), mesh.redis.get "
          + "answered 503 by the breaker vs the raw hop (" + options.inflight() + " in flight)", m, "mesh", "hop", "hop")
        .note("breaker still open at the end: " + redisBreaker(node))
        .note("blocked-thread warnings during the measurement: " + (blocked.count() - blockedBefore))
        .note("target: mesh/hop >= 0.8, p99 <= 1000 µs, no blocked-thread warnings");
    }
  }

  private static void awaitOpen(MeshNode node, ClosedLoop loop, Variant mesh, PrintStream progress) {
    long deadline = System.nanoTime() + OPEN_WITHIN_MILLIS * 1_000_000;
    while (!"open".equals(redisBreaker(node))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the redis breaker did not open within " + OPEN_WITHIN_MILLIS + " ms");
      }
      loop.run("trip", mesh.op(), 4, 500, 1_000);
    }
    progress.println("  redis breaker open");
  }

  private static String redisBreaker(MeshNode node) {
    JsonObject snapshot = Wait.on(node.vertx().eventBus().<JsonObject>request(MeshAddress.STATUS_SNAPSHOT, null)
      .map(msg -> msg.body()), "read mesh.status.snapshot");
    return snapshot.getJsonObject("circuit_breakers", new JsonObject()).getString("redis");
  }
}
