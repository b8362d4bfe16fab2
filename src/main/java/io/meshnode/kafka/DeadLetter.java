package io.meshnode.kafka;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * A queued message Kafka refused for good at replay, set aside in the durable queue's dead-letter store so that the
 * messages behind it go on. It keeps the message as queued (its id, topic, key, value and headers), why it was refused
 * and when.
 *
 * @param message      the message as it was queued
 * @param reason       the kind of refusal: kafka-clients' exception type, such as {@code RecordTooLargeException}
 * @param error        what Kafka said
 * @param attempts     sends made for it by the replay
 * @param deadAtMillis wall-clock time (epoch millis) at which it was set aside
 */
public record DeadLetter(QueuedMessage message, String reason, String error, int attempts, long deadAtMillis) {

  /** What an operator sees of it: everything but the value itself, whose size is given. */
  public JsonObject toJson() {
    return new JsonObject()
      .put("id", message.id())
      .put("topic", message.topic())
      .put("key", message.key())
      .put("value_chars", message.value().length())
      .put("headers", message.headers().copy())
      .put("reason", reason)
      .put("error", error)
      .put("attempts", attempts)
      .put("enqueued_at", Instant.ofEpochMilli(message.enqueuedAtMillis()).toString())
      .put("dead_at", Instant.ofEpochMilli(deadAtMillis).toString());
  }
}
