package io.meshnode.bench;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshField;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pipeline alone: a node whose Redis verticle is replaced, in the same place of verticles.json, by
 * {@link NoOpRedisVerticle} answering {@code mesh.internal.redis.get} at once, and {@code mesh.redis.get} through the
 * resilience verticle (validate, breaker, retry, deadline, fallback bookkeeping, the internal call to the stand-in)
 * vs the raw single-hop request/reply.
 */
final class PipelineScenario {

  static final String REDIS_VERTICLE = "io.meshnode.redis.RedisVerticle";

  private PipelineScenario() {
  }

  static ScenarioReport run(BenchOptions options, String kafka, PrintStream progress) {
    try (MeshNode node = MeshNode.deploy(options, kafka, Set.of(),
      Map.of(REDIS_VERTICLE, NoOpRedisVerticle.class.getName()), config -> { })) {
      JsonObject reply = new JsonObject().put(MeshField.KEY, "k").put(MeshField.VALUE, "v");
      NoOpBackend.deploy(node.vertx(), NoOpBackend.HOP_ADDRESS, reply);
      ClosedLoop loop = ClosedLoop.deployAwayFrom(node);
      EventBus bus = node.vertx().eventBus();
      Variant mesh = new Variant("mesh", () -> bus.request(MeshAddress.REDIS_GET,
        new JsonObject().put(MeshField.KEY, "k")));
      String placement = Placement.probe(node, loop, mesh);
      Measurements m = Rotation.measure(loop, List.of(mesh,
        new Variant("hop", () -> bus.request(NoOpBackend.HOP_ADDRESS, new JsonObject().put(MeshField.KEY, "k")))),
        options, progress);
      return ScenarioReport.of("pipeline", "mesh.redis.get to a no-op stand-in for the Redis verticle vs the raw "
          + "single hop (" + options.inflight() + " in flight)", m, "mesh", "hop", "hop")
        .note(placement)
        .note("target: mesh/hop >= 0.5 (and <= 2 µs of bookkeeping per request in JMH: `jmh`)");
    }
  }
}
