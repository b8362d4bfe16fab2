package io.meshnode.contract;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * This node's current breaker states ({@link MeshAddress#STATUS_SNAPSHOT}) and queue depth
 * ({@link MeshAddress#INTERNAL_QUEUE_STATUS}), asked once by views that start after the events began. Either may
 * have failed (e.g. NO_HANDLERS on a node without the resilience or Kafka verticle).
 *
 * @param breakers {@code {circuit_breakers, since}}, completed
 * @param queue    {@code {depth, capacity}}, completed
 */
public record LocalStatus(Future<JsonObject> breakers, Future<JsonObject> queue) {

  /** Asks both; completes once both answered or failed. */
  public static Future<LocalStatus> request(Vertx vertx) {
    Future<JsonObject> breakers = vertx.eventBus().<JsonObject>request(MeshAddress.STATUS_SNAPSHOT, null)
      .map(Message::body);
    Future<JsonObject> queue = vertx.eventBus().<JsonObject>request(MeshAddress.INTERNAL_QUEUE_STATUS, null)
      .map(Message::body);
    return Future.join(breakers, queue).otherwiseEmpty().map(v -> new LocalStatus(breakers, queue));
  }
}
