package io.meshnode.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/**
 * A verticle (so: its own event loop, like a data verticle) that answers every request on one local address at
 * once with a fixed body: the far end of the raw single-hop baseline, and the stand-in backend of the pipeline
 * scenario.
 */
final class NoOpBackend extends VerticleBase {

  /** The address of the raw hop baseline; nothing of the node uses it. */
  static final String HOP_ADDRESS = "mesh.bench.hop";

  private final String address;
  private final JsonObject reply;

  private NoOpBackend(String address, JsonObject reply) {
    this.address = address;
    this.reply = reply;
  }

  static void deploy(Vertx vertx, String address, JsonObject reply) {
    Wait.on(vertx.deployVerticle(new NoOpBackend(address, reply)), "deploy a no-op consumer on " + address);
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().localConsumer(address, msg -> msg.reply(reply)).completion();
  }
}
