package io.meshnode.contract;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.slf4j.LoggerFactory;

/**
 * A data verticle's handler for one internal address. It is registered twice: as a local consumer of the address,
 * and on the verticle's context, so that a resilience verticle deployed on the same context (see
 * {@code verticles.json} {@code colocate}) calls it directly — no bus hop, no copy, no reply timer — while any other
 * sender still reaches it over the bus. Either way it sees the same request and answers the same reply or coded
 * failure; an exception it throws or fails with becomes a 500 (the bus path logs it here, the direct path in the
 * resilience pipeline).
 */
@FunctionalInterface
public interface InternalBackend {

  /** Answers {@code request}, or fails with a {@link ReplyException} carrying a {@link MeshFailure} code. */
  Future<JsonObject> handle(JsonObject request);

  /** Registers {@code backend} for {@code address} on the bus (local consumer) and on {@code context}. */
  static Future<Void> register(Vertx vertx, Context context, String address, InternalBackend backend) {
    context.put(contextKey(address), backend);
    return vertx.eventBus().<JsonObject>localConsumer(address, msg -> reply(msg, call(backend, msg.body())))
      .completion();
  }

  /** The backend registered for {@code address} on {@code context}, or null when it lives elsewhere. */
  static InternalBackend onContext(Context context, String address) {
    return context == null ? null : context.get(contextKey(address));
  }

  /** Calls {@code backend}, turning a thrown exception into a failed future. */
  static Future<JsonObject> call(InternalBackend backend, JsonObject request) {
    try {
      return backend.handle(request);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static String contextKey(String address) {
    return InternalBackend.class.getName() + '/' + address;
  }

  private static void reply(Message<JsonObject> msg, Future<JsonObject> result) {
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result());
      } else if (ar.cause() instanceof ReplyException coded) {
        msg.fail(coded.failureCode(), coded.getMessage());
      } else {
        LoggerFactory.getLogger(InternalBackend.class).error("internal error: {} threw", msg.address(), ar.cause());
        msg.fail(MeshFailure.INTERNAL, "internal error: " + ar.cause());
      }
    });
  }
}
