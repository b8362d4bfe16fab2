package io.meshnode.bench;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshField;
import io.meshnode.contract.MeshHeader;
import io.meshnode.kafka.KafkaSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publish of 200-byte records: {@code mesh.kafka.publish} vs a direct vertx KafkaProducer with the node's producer
 * config (acks=all, idempotent, linger.ms=1) publishing the same records (with the node's message-id header), vs
 * the same producer publishing them bare, vs the same producer's kafka-clients send called on the event loop (no
 * worker hand-off: the best direct configuration), vs the raw hop, vs the one-hop floor measured
 * ({@link OneHopBackend}, publishing on its event loop too).
 */
final class KafkaScenario {

  static final String TOPIC = "mesh-bench";
  static final String VALUE = "v".repeat(200);
  /** The variant that calls kafka-clients' {@code send} on the driver's event loop (no worker hand-off). */
  static final String LOOP_SEND = "loopsend";

  private KafkaScenario() {
  }

  static ScenarioReport run(BenchOptions options, String kafka, PrintStream progress) {
    try (MeshNode node = MeshNode.deploy(options, kafka, Set.of(), config -> { })) {
      ClosedLoop loop = ClosedLoop.deployAwayFrom(node);
      NoOpBackend.deploy(node.vertx(), NoOpBackend.HOP_ADDRESS, new JsonObject().put(MeshField.STATUS, "published")
        .put(MeshField.ID, "00000000-0000-0000-0000-000000000000").put(MeshField.TOPIC, TOPIC)
        .put(MeshField.PARTITION, 0).put(MeshField.OFFSET, 0L));
      KafkaProducer<String, String> direct = loop.onLoop("create the direct Kafka producer", () -> {
        KafkaProducer<String, String> producer = producer(node.vertx(), node.config().getJsonObject("kafka"));
        return producer.send(KafkaProducerRecord.create(TOPIC, VALUE)).map(metadata -> producer);
      });
      Context driver = loop.onLoop("the driver's context", () -> Future.succeededFuture(Vertx.currentContext()));
      AtomicReference<KafkaProducer<String, String>> oneHopProducer = new AtomicReference<>();
      OneHopBackend.deployAwayFrom(node.vertx(), loop, () -> {
        KafkaProducer<String, String> producer = producer(node.vertx(), node.config().getJsonObject("kafka"));
        oneHopProducer.set(producer);
        Context context = Vertx.currentContext();
        return producer.send(KafkaProducerRecord.create(TOPIC, VALUE)).map(warm -> request -> sendOnLoop(producer,
            asTheNodePublishes(request.getString(MeshField.TOPIC), request.getString(MeshField.VALUE)), context)
          .map(metadata -> new JsonObject().put(MeshField.STATUS, MeshField.STATUS_PUBLISHED)
            .put(MeshField.TOPIC, metadata.topic()).put(MeshField.PARTITION, metadata.partition())
            .put(MeshField.OFFSET, metadata.offset())));
      });
      EventBus bus = node.vertx().eventBus();
      Variant mesh = new Variant("mesh", () -> bus.request(MeshAddress.KAFKA_PUBLISH, request()));
      String placement = Placement.probe(node, loop, mesh);
      Measurements m = Rotation.measure(loop, List.of(mesh,
        new Variant("direct", () -> direct.send(asTheNodePublishes(TOPIC, VALUE))),
        new Variant("bare", () -> direct.send(KafkaProducerRecord.create(TOPIC, VALUE))),
        new Variant(LOOP_SEND, () -> sendOnLoop(direct, asTheNodePublishes(TOPIC, VALUE), driver)),
        new Variant("hop", () -> bus.request(NoOpBackend.HOP_ADDRESS, request())),
        new Variant(Report.ONE_HOP, () -> bus.request(OneHopBackend.ADDRESS, request()))), options, progress);
      Wait.on(Future.join(direct.close(5_000), oneHopProducer.get().close(5_000)), "close the direct producers");
      return ScenarioReport.of("kafka", "publish of 200-byte records, acks=all, idempotent (" + options.inflight()
          + " in flight; direct = vertx KafkaProducer with the node's producer config, publishing the record as the "
          + "node does: with its " + MeshHeader.MESSAGE_ID + " header; bare = the same without the header; "
          + LOOP_SEND + " = the same producer's kafka-clients send called on the driver's event loop, as the node "
          + "does when it cannot block: the best direct configuration)",
          m, "mesh", "direct", "hop")
        .note(placement)
        .note(String.format(Locale.ROOT, "bare / direct = %.2f (the header alone moves the producer this much)",
          Report.median(m.loaded("bare"), Sample::opsPerSecond) / Report.median(m.loaded("direct"), Sample::opsPerSecond)))
        .note(String.format(Locale.ROOT, "%s / direct = %.2f (the best direct configuration)", LOOP_SEND,
          Report.median(m.loaded(LOOP_SEND), Sample::opsPerSecond) / Report.median(m.loaded("direct"), Sample::opsPerSecond)))
        .note("target: mesh/F >= 0.9; 1 in flight: mesh p50 <= direct p50 + 1.2 x hop p50");
    }
  }

  /**
   * The record the Kafka verticle publishes for a request: the value, no key, and a {@code mesh-message-id} header
   * holding a fresh UUID (as the validator gives each publish). Records with a header move through the producer
   * very differently from bare ones (twice the throughput at 64 in flight, measured), so the baseline sends the same.
   */
  static KafkaProducerRecord<String, String> asTheNodePublishes(String topic, String value) {
    return KafkaProducerRecord.<String, String>create(topic, null, value)
      .addHeader(MeshHeader.MESSAGE_ID, UUID.randomUUID().toString());
  }

  /**
   * kafka-clients' {@code send} called on the calling event loop, its answer handed back to {@code context}: the
   * Kafka verticle's path when its {@code LoopSendGate} shows the send cannot block. Used here only once the
   * producer has the topic's metadata and far more buffer than the records in flight need, so it never blocks.
   */
  static Future<RecordMetadata> sendOnLoop(KafkaProducer<String, String> producer,
                                           KafkaProducerRecord<String, String> record, Context context) {
    Promise<RecordMetadata> answer = Promise.promise();
    producer.unwrap().send(record.record(), (metadata, failure) -> context.runOnContext(v -> {
      if (failure == null) {
        answer.complete(metadata);
      } else {
        answer.fail(failure);
      }
    }));
    return answer.future();
  }

  static JsonObject request() {
    return new JsonObject().put(MeshField.TOPIC, TOPIC).put(MeshField.VALUE, VALUE);
  }

  /** A direct producer configured exactly as the Kafka verticle's ({@link KafkaSettings#producerConfig}). */
  static KafkaProducer<String, String> producer(Vertx vertx, JsonObject kafka) {
    return KafkaProducer.create(vertx, KafkaSettings.producerConfig(kafka), String.class, String.class);
  }
}
