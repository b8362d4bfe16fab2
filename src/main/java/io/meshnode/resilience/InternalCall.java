package io.meshnode.resilience;

import io.meshnode.contract.InternalBackend;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * How the resilience verticle reaches one internal address: a direct call when the data verticle's
 * {@link InternalBackend} is on the same context (a colocated deployment), otherwise a bus request bounded by the
 * time left.
 */
@FunctionalInterface
public interface InternalCall {

  Future<JsonObject> call(JsonObject request, long remainingMillis);

  /** The cheapest way from {@code context} to {@code address}, resolved once. */
  static InternalCall to(Vertx vertx, Context context, String address) {
    InternalBackend local = InternalBackend.onContext(context, address);
    if (local != null) {
      return (request, remaining) -> InternalBackend.call(local, request);
    }
    return (request, remaining) -> vertx.eventBus()
      .<JsonObject>request(address, request, new DeliveryOptions().setSendTimeout(remaining))
      .map(Message::body);
  }

  /** True when {@code address} is served on {@code context} without a bus hop. */
  static boolean isDirect(Context context, String address) {
    return InternalBackend.onContext(context, address) != null;
  }
}
