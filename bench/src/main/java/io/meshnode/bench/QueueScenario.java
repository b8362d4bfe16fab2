package io.meshnode.bench;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshField;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * The durable Kafka queue, on the node's Kafka verticle alone (config as shipped, its own queue file):
 * <ol>
 *   <li>enqueue: the verticle deployed with a dead broker address and the replayer idle, durable enqueues through
 *       {@code mesh.internal.kafka.enqueue} (each reply after its fsync) at {@code --inflight} and at 1;</li>
 *   <li>replay: the verticle redeployed on the same file against the live broker; the replay rate is the queue's
 *       depth at deployment over the time until it is empty;</li>
 *   <li>direct: a vertx KafkaProducer with the node's producer config, publishing the records the replay publishes
 *       (with their message-id header), closed loop at {@code --inflight};</li>
 *   <li>hop: the raw single-hop request/reply on the same Vert.x.</li>
 * </ol>
 * RESULT: mesh_ops is the replay rate, base_ops the direct publish rate (target replay ≥ 0.8 × direct); the
 * enqueue rate (target ≥ 5 000/s) and its p99 are in the table, p99_us is the enqueue p99 under load.
 */
final class QueueScenario {

  static final String KAFKA_VERTICLE = "io.meshnode.kafka.KafkaVerticle";
  static final String TOPIC = "mesh-bench-queue";
  private static final long REPLAY_WITHIN_MILLIS = 180_000;
  private static final long ENQUEUE_MAX_OPS = 500_000;

  private static final int QUEUE_ROOM = 20_000_000;

  private QueueScenario() {
  }

  static ScenarioReport run(BenchOptions options, String kafka, PrintStream progress) {
    Vertx vertx = MeshNode.newVertx();
    try {
      JsonObject shipped = Wait.on(io.meshnode.bootstrap.ConfigLoader.load(vertx, options.confDir()), "load conf")
        .getJsonObject("kafka");
      Path queueFile = MeshNode.tempDir("mesh-bench-queue").resolve("queue.db");
      ClosedLoop loop = ClosedLoop.deploy(vertx);
      NoOpBackend.deploy(vertx, NoOpBackend.HOP_ADDRESS, new JsonObject().put(MeshField.STATUS, "queued")
        .put(MeshField.ID, UUID.randomUUID().toString()));
      KafkaProducer<String, String> direct = loop.onLoop("create the direct Kafka producer", () -> {
        KafkaProducer<String, String> producer = KafkaScenario.producer(vertx, shipped.copy()
          .put("bootstrap_servers", kafka));
        return producer.send(KafkaProducerRecord.create(TOPIC, KafkaScenario.VALUE)).map(metadata -> producer);
      });
      EventBus bus = vertx.eventBus();
      Variant enqueue = new Variant("enqueue", () -> bus.request(MeshAddress.INTERNAL_KAFKA_ENQUEUE, new JsonObject()
        .put(MeshField.ID, UUID.randomUUID().toString()).put(MeshField.TOPIC, TOPIC)
        .put(MeshField.VALUE, KafkaScenario.VALUE)));
      Variant publish = new Variant("direct", () -> direct.send(KafkaScenario.asTheNodePublishes(TOPIC,
        KafkaScenario.VALUE)));
      Variant hop = new Variant("hop", () -> bus.request(NoOpBackend.HOP_ADDRESS, new JsonObject()));
      JsonObject deadBroker = shipped.copy().put("bootstrap_servers", "127.0.0.1:" + MeshNode.freePort())
        .put("queue_path", queueFile.toString()).put("replay_interval_ms", 3_600_000)
        // room for every enqueue of a pass: a full queue answers 507 fast, which is not an enqueue
        .put("queue_max_messages", QUEUE_ROOM)
        .put("producer", new JsonObject().put("max.block.ms", "500"));
      JsonObject liveBroker = shipped.copy().put("bootstrap_servers", kafka).put("queue_path", queueFile.toString())
        .put("queue_max_messages", QUEUE_ROOM)
        .put("replay_interval_ms", 50);
      long millis = options.seconds() * 1000L;
      Measurements m = new Measurements();
      for (int run = -1; run < options.runs(); run++) {
        boolean warmUp = run < 0;
        String id = deploy(vertx, deadBroker);
        Sample loaded = loop.run("enqueue", enqueue.op(), options.inflight(), millis, ENQUEUE_MAX_OPS);
        Sample single = loop.run("enqueue", enqueue.op(), 1, millis, ENQUEUE_MAX_OPS);
        Wait.on(vertx.undeploy(id), "undeploy the Kafka verticle");
        Sample replay = replay(vertx, liveBroker);
        Sample direct1 = loop.run("direct", publish.op(), options.inflight(), millis, Rotation.MAX_OPS_PER_PASS);
        Sample direct2 = loop.run("direct", publish.op(), 1, millis, Rotation.MAX_OPS_PER_PASS);
        Sample hop1 = loop.run("hop", hop.op(), options.inflight(), millis, Rotation.MAX_OPS_PER_PASS);
        Sample hop2 = loop.run("hop", hop.op(), 1, millis, Rotation.MAX_OPS_PER_PASS);
        progress.printf("  %s enqueue %,8.0f/s (p99 %,d µs; 1 in flight p50 %,d µs)%s | replay %,8.0f/s | "
            + "direct %,8.0f/s | hop %,8.0f/s%n", warmUp ? "warm-up" : "run " + (run + 1), loaded.opsPerSecond(),
          loaded.p99(), single.p50(), Rotation.failures(loaded), replay.opsPerSecond(), direct1.opsPerSecond(),
          hop1.opsPerSecond());
        if (!warmUp) {
          List.of(replay, loaded, direct1, hop1).forEach(m::addLoaded);
          List.of(single, direct2, hop2).forEach(m::addSingle);
        }
      }
      Wait.on(direct.close(5_000), "close the direct producer");
      return ScenarioReport.of("queue", "durable Kafka queue: fsynced enqueues via mesh.internal.kafka.enqueue ("
          + options.inflight() + " in flight), replay to the live broker vs direct publish", m, "replay", "direct", "hop")
        .p99From("enqueue")
        .note("replay = depth / time to drain, replay_batch " + shipped.getInteger("replay_batch", 256)
          + " (shipped), replay_interval_ms 50 (override, so the first round starts at once)")
        .note("target: enqueue >= 5000/s with each reply after its fsync; replay >= 0.8 x direct publish");
    } finally {
      Wait.on(vertx.close(), "close Vert.x");
    }
  }

  private static String deploy(Vertx vertx, JsonObject kafka) {
    return Wait.on(vertx.deployVerticle(KAFKA_VERTICLE, new DeploymentOptions()
      .setConfig(new JsonObject().put("kafka", kafka))), "deploy the Kafka verticle");
  }

  /** Deploys the verticle on the live broker and times the drain of what the enqueue passes left on disk. */
  private static Sample replay(Vertx vertx, JsonObject liveBroker) {
    String id = deploy(vertx, liveBroker);
    try {
      long start = System.nanoTime();
      long depth = depth(vertx);
      long deadline = start + REPLAY_WITHIN_MILLIS * 1_000_000;
      long left = depth;
      while (left > 0 && System.nanoTime() < deadline) {
        Wait.pause(10);
        left = depth(vertx);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      String stuck = left > 0 ? left + " message(s) not replayed within " + REPLAY_WITHIN_MILLIS + " ms" : null;
      return new Sample("replay", (depth - left) / seconds, depth - left, 0, left, stuck, new Histogram(3));
    } finally {
      Wait.on(vertx.undeploy(id), "undeploy the Kafka verticle");
    }
  }

  private static long depth(Vertx vertx) {
    return Wait.on(vertx.eventBus().<JsonObject>request(MeshAddress.INTERNAL_QUEUE_STATUS, null)
      .map(msg -> msg.body().getLong("depth")), "read the queue depth");
  }
}
