package io.meshnode.kafka;

import io.meshnode.contract.MeshField;
import io.meshnode.contract.MeshHeader;
import io.meshnode.resilience.DependencyBreaker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;

/**
 * One delivery attempt: the record as a bus request to the subscription's address —
 * {@code {topic, partition, offset, key, value, headers, timestamp}}, header values as UTF-8 strings, and the
 * record's {@code mesh-message-id} also as a bus header — bounded by {@code kafka_consume}, through the address's
 * breaker. The reply (any body) acknowledges the record.
 */
final class RecordSender {

  private final Vertx vertx;
  private final SubscriptionOptions options;
  private final DependencyBreaker breaker;

  RecordSender(Vertx vertx, SubscriptionOptions options, DependencyBreaker breaker) {
    this.vertx = vertx;
    this.options = options;
    this.breaker = breaker;
  }

  Future<Void> send(PartitionLane.Entry entry) {
    return breaker.execute(() -> vertx.eventBus()
      .request(options.address(), body(entry.record), deliveryOptions(entry.record))
      .mapEmpty());
  }

  static JsonObject body(ConsumerRecord<String, String> record) {
    JsonObject headers = new JsonObject();
    for (Header header : record.headers()) {
      headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
    }
    return new JsonObject()
      .put(MeshField.TOPIC, record.topic())
      .put(MeshField.PARTITION, record.partition())
      .put(MeshField.OFFSET, record.offset())
      .put(MeshField.KEY, record.key())
      .put(MeshField.VALUE, record.value())
      .put(MeshField.HEADERS, headers)
      .put(MeshField.TIMESTAMP, record.timestamp());
  }

  private DeliveryOptions deliveryOptions(ConsumerRecord<String, String> record) {
    DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(options.deliveryTimeout().toMillis());
    Header id = record.headers().lastHeader(MeshHeader.MESSAGE_ID);
    if (id != null && id.value() != null) {
      delivery.addHeader(MeshHeader.MESSAGE_ID, new String(id.value(), StandardCharsets.UTF_8));
    }
    return delivery;
  }

  /** Why an attempt failed, for logs and {@code mesh-dlq-reason}: the failure type, the handler's code and message. */
  static String reason(Throwable failure) {
    if (failure instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case TIMEOUT -> "timeout: " + reply.getMessage();
        case RECIPIENT_FAILURE -> "handler failed (" + reply.failureCode() + "): " + reply.getMessage();
        default -> reply.failureType().name().toLowerCase() + ": " + reply.getMessage();
      };
    }
    return "error: " + failure;
  }
}
