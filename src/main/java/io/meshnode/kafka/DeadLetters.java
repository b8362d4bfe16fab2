package io.meshnode.kafka;

import io.meshnode.contract.MeshHeader;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Writes records whose delivery gave up to their subscription's dead-letter topic, through the subscription
 * verticle's own producer (acks=all, idempotent): same key, value and headers, plus {@code mesh-dlq-reason},
 * {@code mesh-dlq-topic}, {@code mesh-dlq-partition}, {@code mesh-dlq-offset} and {@code mesh-dlq-attempts}.
 */
final class DeadLetters {

  private final KafkaProducer<String, String> producer;

  DeadLetters(KafkaProducer<String, String> producer) {
    this.producer = producer;
  }

  /** Completes once the dead-letter topic acknowledged the record. */
  Future<RecordMetadata> send(String topic, ConsumerRecord<String, String> record, String reason, int attempts) {
    KafkaProducerRecord<String, String> letter = KafkaProducerRecord.create(topic, record.key(), record.value());
    for (Header header : record.headers()) {
      letter.addHeader(header.key(), header.value() == null ? Buffer.buffer() : Buffer.buffer(header.value()));
    }
    letter.addHeader(MeshHeader.DLQ_REASON, reason)
      .addHeader(MeshHeader.DLQ_TOPIC, record.topic())
      .addHeader(MeshHeader.DLQ_PARTITION, Integer.toString(record.partition()))
      .addHeader(MeshHeader.DLQ_OFFSET, Long.toString(record.offset()))
      .addHeader(MeshHeader.DLQ_ATTEMPTS, Integer.toString(attempts));
    return producer.send(letter);
  }
}
