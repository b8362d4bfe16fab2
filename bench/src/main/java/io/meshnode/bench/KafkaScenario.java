package io.meshnode.bench;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshField;
import io.meshnode.kafka.KafkaSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publish of 200-byte records: {@code mesh.kafka.publish} vs a direct vertx KafkaProducer with the node's producer
 * config (acks=all, idempotent, linger.ms=1), vs the raw hop, vs the one-hop floor measured ({@link OneHopBackend}).
 */
final class KafkaScenario {

  static final String TOPIC = "mesh-bench";
  static final String VALUE = "v".repeat(200);

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
      AtomicReference<KafkaProducer<String, String>> oneHopProducer = new AtomicReference<>();
      OneHopBackend.deployAwayFrom(node.vertx(), loop, () -> {
        KafkaProducer<String, String> producer = producer(node.vertx(), node.config().getJsonObject("kafka"));
        oneHopProducer.set(producer);
        return producer.send(KafkaProducerRecord.create(TOPIC, VALUE)).map(warm -> request -> producer
          .send(KafkaProducerRecord.create(request.getString(MeshField.TOPIC), request.getString(MeshField.VALUE)))
          .map(metadata -> new JsonObject().put(MeshField.STATUS, MeshField.STATUS_PUBLISHED)
            .put(MeshField.TOPIC, metadata.getTopic()).put(MeshField.PARTITION, metadata.getPartition())
            .put(MeshField.OFFSET, metadata.getOffset())));
      });
      EventBus bus = node.vertx().eventBus();
      Variant mesh = new Variant("mesh", () -> bus.request(MeshAddress.KAFKA_PUBLISH, request()));
      String placement = Placement.probe(node, loop, mesh);
      Measurements m = Rotation.measure(loop, List.of(mesh,
        new Variant("direct", () -> direct.send(KafkaProducerRecord.create(TOPIC, VALUE))),
        new Variant("hop", () -> bus.request(NoOpBackend.HOP_ADDRESS, request())),
        new Variant("onehop", () -> bus.request(OneHopBackend.ADDRESS, request()))), options, progress);
      Wait.on(Future.join(direct.close(5_000), oneHopProducer.get().close(5_000)), "close the direct producers");
      return ScenarioReport.of("kafka", "publish of 200-byte records, acks=all, idempotent (" + options.inflight()
          + " in flight; direct = vertx KafkaProducer with the node's producer config)", m, "mesh", "direct", "hop")
        .note(placement)
        .note(Report.oneHop(m))
        .note("target: mesh/F >= 0.9; 1 in flight: mesh p50 <= direct p50 + 1.2 x hop p50");
    }
  }

  static JsonObject request() {
    return new JsonObject().put(MeshField.TOPIC, TOPIC).put(MeshField.VALUE, VALUE);
  }

  /** A direct producer configured exactly as the Kafka verticle's ({@link KafkaSettings#producerConfig}). */
  static KafkaProducer<String, String> producer(Vertx vertx, JsonObject kafka) {
    return KafkaProducer.create(vertx, KafkaSettings.producerConfig(kafka), String.class, String.class);
  }
}
