package io.meshnode.kafka;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * A Kafka record parked in the {@link DurableQueue} while Kafka is unavailable.
 *
 * @param seq              position in the queue, assigned by the queue when the message is stored: strictly
 *                         increasing in the order {@link DurableQueue#enqueue} was called, never reused, also
 *                         across restarts. {@code 0} for a message that has not been stored yet.
 * @param id               stable message id chosen by the caller; it is replayed unchanged so that consumers can
 *                         deduplicate a message that reaches Kafka twice
 * @param topic            Kafka topic to replay to, never {@code null}
 * @param key              Kafka record key, may be {@code null}
 * @param value            Kafka record value, never {@code null}
 * @param headers          Kafka record headers, string name to string value; {@code null} becomes an empty object.
 *                         The record keeps its own copy.
 * @param enqueuedAtMillis wall-clock time (epoch millis) at which the queue accepted the message, {@code 0} before
 */
public record QueuedMessage(long seq, String id, String topic, String key, String value, JsonObject headers,
                            long enqueuedAtMillis) {

  /** Validates the fields and copies the headers, so that the caller cannot change a stored message. */
  public QueuedMessage {
    if (seq < 0) {
      throw new IllegalArgumentException("seq must be >= 0, was " + seq);
    }
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(value, "value");
    headers = headers == null ? new JsonObject() : headers.copy();
    headers.forEach(header -> {
      if (!(header.getValue() instanceof String)) {
        throw new IllegalArgumentException("header '" + header.getKey() + "' must be a string, was "
          + header.getValue());
      }
    });
  }

  /**
   * Creates a message that has not been stored yet ({@code seq} and {@code enqueuedAtMillis} are {@code 0}); pass
   * it to {@link DurableQueue#enqueue}, which returns the stored copy.
   *
   * @param id      stable message id, never {@code null}
   * @param topic   Kafka topic, never {@code null}
   * @param key     Kafka key, may be {@code null}
   * @param value   Kafka value, never {@code null}
   * @param headers string to string headers, may be {@code null}
   * @return the unstored message
   */
  public static QueuedMessage unstored(String id, String topic, String key, String value, JsonObject headers) {
    return new QueuedMessage(0, id, topic, key, value, headers, 0);
  }

  /** @return this message as stored at position {@code seq}, accepted at {@code enqueuedAtMillis} */
  QueuedMessage stored(long seq, long enqueuedAtMillis) {
    return new QueuedMessage(seq, id, topic, key, value, headers, enqueuedAtMillis);
  }
}
