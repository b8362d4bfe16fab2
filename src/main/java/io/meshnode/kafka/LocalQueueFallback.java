package io.meshnode.kafka;

import io.meshnode.resilience.Fallback;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.function.Function;

/**
 * The Kafka fallback: the record goes to the Kafka verticle's durable local queue
 * ({@link io.meshnode.contract.MeshAddress#INTERNAL_KAFKA_ENQUEUE}), which answers {@code {status:"queued", id}} only
 * once the record is on disk, and replays it to Kafka when the broker answers. A full queue answers 507.
 */
public final class LocalQueueFallback implements Fallback {

  private final Function<JsonObject, Future<JsonObject>> enqueue;

  /** @param enqueue sends the validated publish request to the durable queue */
  public LocalQueueFallback(Function<JsonObject, Future<JsonObject>> enqueue) {
    this.enqueue = enqueue;
  }

  @Override
  public Future<JsonObject> apply(String address, JsonObject request, Throwable cause) {
    return enqueue.apply(request);
  }
}
