package io.meshnode.contract;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * Publishes a node-local event ({@code mesh.events.*}): only this node's consumers receive it, even in a cluster
 * where another node (or an application) registered a cluster-wide consumer on the same address.
 */
public final class LocalEvents {

  private LocalEvents() {
  }

  /** Publishes {@code event} on {@code address} to this node's consumers only. */
  public static void publish(Vertx vertx, String address, JsonObject event) {
    vertx.eventBus().publish(address, event, new DeliveryOptions().setLocalOnly(true));
  }
}
