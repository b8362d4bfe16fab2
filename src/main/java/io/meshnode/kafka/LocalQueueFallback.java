package io.meshnode.kafka;

import io.meshnode.contract.MeshAddress;
import io.meshnode.resilience.Fallback;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * The Kafka fallback: the record goes to the Kafka verticle's durable local queue, which answers
 * {@code {status:"queued", id}} only once the record is on disk, and replays it to Kafka when the broker answers.
 * A full queue answers 507.
 */
public final class LocalQueueFallback implements Fallback {

  private final Vertx vertx;
  private final DeliveryOptions delivery;

  public LocalQueueFallback(Vertx vertx, long enqueueTimeoutMillis) {
    this.vertx = vertx;
    this.delivery = new DeliveryOptions().setSendTimeout(enqueueTimeoutMillis);
  }

  @Override
  public Future<JsonObject> apply(String address, JsonObject request, Throwable cause) {
    return vertx.eventBus().<JsonObject>request(MeshAddress.INTERNAL_KAFKA_ENQUEUE, request, delivery)
      .map(Message::body);
  }
}
