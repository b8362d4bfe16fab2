package io.meshnode.kafka;

import io.meshnode.bootstrap.MetricsSetup;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Consumes the topics declared in {@code kafka.subscriptions} and delivers each record to its bus address, at least
 * once and in order per partition: the handler's reply acknowledges a record, and a partition's offset is committed
 * only up to the last record before which every record is acknowledged. Failures and timeouts
 * ({@code resilience.timeouts.kafka_consume}) are retried with the subscription's retry policy, then the record goes
 * to the dead-letter topic; a missing handler makes the record wait. See {@link Subscription} for the composition
 * and {@link SubscriptionOptions} for the config.
 *
 * <p>One consumer per subscription (kafka-clients, on its own worker thread: see {@link ConsumerLoop}) and one
 * producer for the dead-letter topics. Subscription changes are published on
 * {@link io.meshnode.contract.MeshAddress#EVENTS_SUBSCRIPTION}.
 *
 * <p>Config sections {@code kafka} ({@code bootstrap_servers}, {@code consumer}, {@code producer},
 * {@code subscriptions}) and {@code resilience} ({@code retry_policies}, {@code timeouts.kafka_consume}).
 */
public final class KafkaSubscriptionVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaSubscriptionVerticle.class);
  private static final long CLOSE_TIMEOUT_MILLIS = 5_000;

  private final List<Subscription> subscriptions = new ArrayList<>();
  private KafkaProducer<String, String> producer;

  @Override
  public Future<?> start() {
    JsonObject kafka = config().getJsonObject("kafka", new JsonObject());
    List<SubscriptionOptions> declared =
      SubscriptionOptions.listFromConfig(kafka, config().getJsonObject("resilience", new JsonObject()));
    if (declared.isEmpty()) {
      LOG.info("kafka: no subscriptions declared");
      return Future.succeededFuture();
    }
    producer = KafkaProducer.create(vertx, KafkaSettings.producerConfig(kafka), String.class, String.class);
    producer.exceptionHandler(failure -> LOG.debug("kafka dead-letter producer: {}", failure.getMessage()));
    DeadLetters deadLetters = new DeadLetters(producer);
    MeterRegistry registry = MetricsSetup.currentRegistry();
    List<Future<Void>> started = new ArrayList<>();
    for (SubscriptionOptions options : declared) {
      Subscription subscription = new Subscription(vertx, options, deadLetters, registry);
      subscriptions.add(subscription);
      started.add(subscription.start(KafkaSettings.consumerConfig(kafka, options)));
    }
    return Future.all(started);
  }

  @Override
  public Future<?> stop() {
    List<Future<Void>> stopped = subscriptions.stream().map(Subscription::stop).toList();
    return Future.join(stopped)
      .eventually(() -> producer == null ? Future.succeededFuture() : producer.close(CLOSE_TIMEOUT_MILLIS));
  }
}
