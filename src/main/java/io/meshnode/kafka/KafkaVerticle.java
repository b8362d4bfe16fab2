package io.meshnode.kafka;

import io.meshnode.bootstrap.MetricsSetup;
import io.meshnode.contract.InternalBackend;
import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshFailure;
import io.meshnode.contract.MeshField;
import io.meshnode.contract.MeshHeader;
import io.meshnode.resilience.BlamedFailures;
import io.meshnode.resilience.DependencyProbe;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Owns the Kafka producer and the durable local queue: {@link MeshAddress#INTERNAL_KAFKA_PUBLISH} sends a record
 * (acks=all, idempotent) and answers {@code published} with its partition and offset;
 * {@link MeshAddress#INTERNAL_KAFKA_ENQUEUE} (the fallback) answers {@code queued} only once the record is fsynced to
 * disk, 507 when the queue is full. A {@link QueueReplayer} drains the queue to Kafka when the broker answers. Every
 * record carries the {@code mesh-message-id} header.
 *
 * <p>Config section {@code kafka}: see {@link KafkaSettings}.
 */
public final class KafkaVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaVerticle.class);

  /** How long stop waits for records in flight; the durable queue is closed (and flushed) after. */
  private static final long CLOSE_TIMEOUT_MILLIS = 5_000;

  /** Bounds of a record's size in the producer's buffer beside its strings: UTF-8, the id header, batch framing. */
  private static final int MAX_UTF8_BYTES_PER_CHAR = 3;
  private static final int RECORD_OVERHEAD_BYTES = 256;

  private final BlamedFailures failures =
    new BlamedFailures("kafka", "kafka.bootstrap_servers, kafka.producer and the node's credentials");
  private KafkaProducer<String, String> producer;
  private KafkaAdminClient admin;
  private DurableQueue queue;
  private QueueReplayer replayer;
  private LoopSendGate gate;
  private DependencyProbe probe;
  private WorkerExecutor sendThread;

  @Override
  public Future<?> start() {
    JsonObject kafka = config().getJsonObject("kafka", new JsonObject());
    DurableQueueOptions queueOptions = KafkaSettings.queueOptions(kafka);
    Map<String, Object> producerConfig = new HashMap<>(KafkaSettings.producerConfig(kafka));
    Map<String, Object> adminConfig = new HashMap<>(KafkaSettings.adminConfig(kafka));
    gate = LoopSendGate.forProducer(producerConfig, System::currentTimeMillis);
    sendThread = vertx.createSharedWorkerExecutor("mesh-kafka-send-" + deploymentID(), 1);
    // kafka-clients' constructors start threads and register JMX beans: seconds on a busy machine, so not on the loop
    return vertx.executeBlocking(() -> {
      StringSerializer strings = new StringSerializer();
      Producer<String, String> nativeProducer =
        new org.apache.kafka.clients.producer.KafkaProducer<>(producerConfig, strings, strings);
      try {
        return new NativeClients(nativeProducer, AdminClient.create(adminConfig));
      } catch (RuntimeException e) {
        nativeProducer.close(Duration.ZERO);
        throw e;
      }
    }).compose(clients -> {
      producer = KafkaProducer.create(vertx, clients.producer());
      producer.exceptionHandler(failure -> LOG.debug("kafka producer: {}", failure.getMessage()));
      admin = KafkaAdminClient.create(vertx, clients.admin());
      probe = DependencyProbe.start(vertx, "kafka", DependencyProbe.intervalMillis(kafka, "kafka"),
        admin::describeCluster);
      return DurableQueue.open(vertx, queueOptions);
    }).compose(opened -> {
      queue = opened;
      if (queue.depth() > 0) {
        LOG.info("durable queue {} holds {} message(s) to replay", queueOptions.getPath(), queue.depth());
      }
      replayer = new QueueReplayer(vertx, queue, this::send, () -> !probe.unreachable(), MetricsSetup.currentRegistry(),
        KafkaSettings.replayBatch(kafka), KafkaSettings.replayIntervalMillis(kafka), queueOptions.getMaxMessages());
      replayer.start();
      return Future.all(
        InternalBackend.register(vertx, context, MeshAddress.INTERNAL_KAFKA_PUBLISH, this::publish),
        InternalBackend.register(vertx, context, MeshAddress.INTERNAL_KAFKA_ENQUEUE, this::enqueue),
        InternalBackend.register(vertx, context, MeshAddress.INTERNAL_QUEUE_STATUS,
          request -> Future.succeededFuture(replayer.status())),
        InternalBackend.register(vertx, context, MeshAddress.ADMIN_QUEUE_DEAD,
          request -> DeadLetterAdmin.handle(queue, request).andThen(done -> replayer.announce())));
    });
  }

  @Override
  public Future<?> stop() {
    if (replayer != null) {
      replayer.stop();
    }
    Future<Void> adminClosed = admin == null ? Future.succeededFuture() : admin.close(CLOSE_TIMEOUT_MILLIS);
    return adminClosed
      .eventually(() -> producer == null ? Future.succeededFuture() : producer.close(CLOSE_TIMEOUT_MILLIS))
      .eventually(() -> sendThread == null ? Future.succeededFuture() : sendThread.close())
      .eventually(() -> queue == null ? Future.succeededFuture() : queue.close());
  }

  private Future<JsonObject> publish(JsonObject request) {
    String id = request.getString(MeshField.ID);
    return send(id, request.getString(MeshField.TOPIC), request.getString(MeshField.KEY),
      request.getString(MeshField.VALUE), request.getJsonObject(MeshField.HEADERS)).transform(ar -> {
        if (ar.failed()) {
          return Future.failedFuture(failure(ar.cause()));
        }
        RecordMetadata metadata = ar.result();
        return Future.succeededFuture(new JsonObject()
          .put(MeshField.STATUS, MeshField.STATUS_PUBLISHED)
          .put(MeshField.ID, id)
          .put(MeshField.TOPIC, metadata.topic())
          .put(MeshField.PARTITION, metadata.partition())
          .put(MeshField.OFFSET, metadata.offset()));
      });
  }

  /** The failure coded by whose fault it is. */
  private ReplyException failure(Throwable cause) {
    return failures.coded(KafkaFailures.blame(cause), "kafka", cause);
  }

  private Future<JsonObject> enqueue(JsonObject request) {
    return queue.enqueue(toMessage(request)).transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture(new JsonObject().put(MeshField.STATUS, MeshField.STATUS_QUEUED)
          .put(MeshField.ID, ar.result().id()));
      }
      if (ar.cause() instanceof QueueFullException) {
        return Future.failedFuture(MeshFailure.of(MeshFailure.QUEUE_FULL, ar.cause().getMessage()));
      }
      LOG.error("durable queue: enqueue failed", ar.cause());
      return Future.failedFuture(MeshFailure.of(MeshFailure.INTERNAL, "durable queue: " + ar.cause().getMessage()));
    });
  }

  private Future<RecordMetadata> send(QueuedMessage message) {
    return send(message.id(), message.topic(), message.key(), message.value(), message.headers());
  }

  /**
   * Sends the record, built as kafka-clients takes it (the {@code KafkaProducer} wrapper's own record and header
   * types would be built per publish only to be converted into these): on this event loop when {@link LoopSendGate}
   * admits it (a thread hand-off less per publish), else on a worker thread as vertx-kafka-client's write stream does.
   */
  private Future<RecordMetadata> send(String id, String topic, String key, String value, JsonObject headers) {
    RecordHeaders recordHeaders = new RecordHeaders();
    recordHeaders.add(MeshHeader.MESSAGE_ID, id.getBytes(StandardCharsets.UTF_8));
    int bytes = RECORD_OVERHEAD_BYTES
      + MAX_UTF8_BYTES_PER_CHAR * ((value == null ? 0 : value.length()) + (key == null ? 0 : key.length()));
    if (headers != null) {
      for (Map.Entry<String, Object> header : headers) {
        byte[] headerValue = ((String) header.getValue()).getBytes(StandardCharsets.UTF_8);
        recordHeaders.add(header.getKey(), headerValue);
        bytes += MAX_UTF8_BYTES_PER_CHAR * header.getKey().length() + headerValue.length;
      }
    }
    ProducerRecord<String, String> record = new ProducerRecord<>(topic, null, key, value, recordHeaders);
    long charge = gate.charge(bytes);
    Promise<RecordMetadata> answered = Promise.promise();
    if (gate.admitOnLoop(topic, charge)) {
      try {
        handOver(record, answered);
      } catch (RuntimeException e) {
        answered.tryFail(e);
      }
    } else {
      // kafka-clients may block here (missing metadata, full buffer); one thread keeps the records in order, and the
      // gate keeps the loop from overtaking them
      sendThread.executeBlocking(() -> handOver(record, answered)).onComplete((handed, failure) -> {
        gate.handedOver(topic);
        if (failure != null) {
          answered.tryFail(failure);
        }
      });
    }
    return answered.future().onComplete((metadata, failure) -> gate.release(topic, charge, failure == null));
  }

  /** Gives the record to kafka-clients; the producer's I/O thread answers, and the outcome comes back here. */
  private java.util.concurrent.Future<RecordMetadata> handOver(ProducerRecord<String, String> record,
                                                               Promise<RecordMetadata> answered) {
    return producer.unwrap().send(record, (metadata, failure) -> context.runOnContext(v -> {
      if (failure == null) {
        answered.tryComplete(metadata);
      } else {
        answered.tryFail(failure);
      }
    }));
  }

  private static QueuedMessage toMessage(JsonObject body) {
    return QueuedMessage.unstored(body.getString(MeshField.ID), body.getString(MeshField.TOPIC),
      body.getString(MeshField.KEY), body.getString(MeshField.VALUE), body.getJsonObject(MeshField.HEADERS));
  }

  /** The kafka-clients producer and admin client, built on a worker thread. */
  private record NativeClients(Producer<String, String> producer, AdminClient admin) {
  }
}
