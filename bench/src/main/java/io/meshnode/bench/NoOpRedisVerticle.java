package io.meshnode.bench;

import io.meshnode.contract.InternalBackend;
import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshField;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/**
 * Stands in for the Redis verticle in the pipeline scenario: same place in verticles.json (so colocated with the
 * resilience verticle when the shipped file colocates them), an {@link InternalBackend} on the internal GET address
 * that answers at once, so the scenario measures the pipeline and nothing of Redis.
 */
public final class NoOpRedisVerticle extends VerticleBase {

  private static final JsonObject REPLY = new JsonObject().put(MeshField.KEY, "k").put(MeshField.VALUE, "v");

  @Override
  public Future<?> start() {
    return InternalBackend.register(vertx, context, MeshAddress.INTERNAL_REDIS_GET,
      request -> Future.succeededFuture(REPLY));
  }
}
