package io.meshnode.chaos;

import io.meshnode.contract.MeshAddress;
import io.meshnode.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Watches a node's breakers the two ways an operator can: the transition events on
 * {@link MeshAddress#EVENTS_BREAKER} (what {@code /health} and {@code circuit_breaker_transitions_total} are fed by),
 * and {@code GET /health} sampled every {@link #SAMPLE_MILLIS}.
 */
final class BreakerWatch {

  static final long SAMPLE_MILLIS = 100;

  /** One transition event: {@code state} entered at {@code at} (epoch milliseconds). */
  record Transition(String service, String state, long at) {
  }

  /** One {@code /health} answer: its status and the state it gave the watched breaker. */
  record HealthSample(long at, String status, String breaker) {
  }

  private final TestNode node;
  private final String service;
  private final Queue<Transition> transitions = new ConcurrentLinkedQueue<>();
  private final Queue<HealthSample> samples = new ConcurrentLinkedQueue<>();
  private MessageConsumer<JsonObject> consumer;
  private long sampler = -1;

  BreakerWatch(TestNode node, String service) {
    this.node = node;
    this.service = service;
  }

  Future<Void> start() {
    consumer = node.vertx().eventBus().consumer(MeshAddress.EVENTS_BREAKER, msg -> {
      if (service.equals(msg.body().getString("service"))) {
        transitions.add(new Transition(service, msg.body().getString("state"),
          Instant.parse(msg.body().getString("at")).toEpochMilli()));
      }
    });
    sampler = node.vertx().setPeriodic(SAMPLE_MILLIS, id -> node.health().onSuccess(health -> samples.add(
      new HealthSample(System.currentTimeMillis(), health.getString("status"),
        health.getJsonObject("circuit_breakers").getString(service)))));
    return consumer.completion();
  }

  Future<Void> stop() {
    node.vertx().cancelTimer(sampler);
    return consumer.unregister();
  }

  /** The watched breaker's transitions, in order. */
  List<Transition> transitions() {
    return List.copyOf(transitions);
  }

  /** The states entered, in order, as {@code open>half_open>closed}. */
  String path() {
    return String.join(">", transitions().stream().map(Transition::state).toList());
  }

  /** Every {@code /health} sample, in order. */
  List<HealthSample> samples() {
    return List.copyOf(samples);
  }

  /** True when the last transition seen is into {@code state}. */
  boolean lastIs(String state) {
    List<Transition> all = transitions();
    return !all.isEmpty() && all.get(all.size() - 1).state().equals(state);
  }
}
