package io.meshnode.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one-hop floor, measured: a bare consumer on an event loop of its own that answers each request by calling the
 * dependency through its own client (configured like the node's) and replying with the node's reply shape — no
 * validation, no breaker, retry, deadline or fallback, no reply headers. It is what a perfect mesh with exactly one
 * hop and zero bookkeeping does, so {@code mesh / onehop} is the price of the node's policies, and its 1-in-flight
 * p50 says whether the {@code direct + 1.2 × hop} bound can be met by any one-hop design on this machine.
 */
final class OneHopBackend extends VerticleBase {

  /** The address the one-hop variant sends to; nothing of the node uses it. */
  static final String ADDRESS = "mesh.bench.onehop";

  private final Supplier<Future<Function<JsonObject, Future<JsonObject>>>> connect;
  private Function<JsonObject, Future<JsonObject>> serve;

  private OneHopBackend(Supplier<Future<Function<JsonObject, Future<JsonObject>>>> connect) {
    this.connect = connect;
  }

  /**
   * Deploys it on an event loop other than the driver's (a shared loop would make it no hop at all).
   *
   * @param connect called on the backend's context: its client, and how a request is served with it
   */
  static void deployAwayFrom(Vertx vertx, ClosedLoop driver,
                             Supplier<Future<Function<JsonObject, Future<JsonObject>>>> connect) {
    String driverThread = driver.onLoop("name the driver's thread",
      () -> Future.succeededFuture(Thread.currentThread().getName()));
    for (int attempt = 0; attempt < 16; attempt++) {
      OneHopBackend backend = new OneHopBackend(connect);
      String id = Wait.on(vertx.deployVerticle(backend), "deploy the one-hop backend");
      if (!Wait.on(backend.thread(), "name the one-hop backend's thread").equals(driverThread)) {
        return;
      }
      Wait.on(vertx.undeploy(id), "undeploy a one-hop backend placed on the driver's loop");
    }
    throw new IllegalStateException("no event loop other than the driver's (" + driverThread + ") for the one-hop backend");
  }

  private Future<String> thread() {
    return Future.future(promise -> context.runOnContext(v -> promise.complete(Thread.currentThread().getName())));
  }

  @Override
  public Future<?> start() {
    return connect.get().compose(handler -> {
      serve = handler;
      return vertx.eventBus().<JsonObject>localConsumer(ADDRESS, msg -> serve.apply(msg.body())
        .onComplete(msg::reply, failure -> msg.fail(500, failure.getMessage()))).completion();
    });
  }
}
