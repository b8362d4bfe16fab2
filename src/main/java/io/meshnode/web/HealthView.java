package io.meshnode.web;

import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code /health} reports, fed only by events: breaker transitions from
 * {@link io.meshnode.contract.MeshAddress#EVENTS_BREAKER}, dependency probes from
 * {@link io.meshnode.contract.MeshAddress#EVENTS_DEPENDENCY}, queue depths from
 * {@link io.meshnode.contract.MeshAddress#EVENTS_QUEUE} and Kafka subscriptions from
 * {@link io.meshnode.contract.MeshAddress#EVENTS_SUBSCRIPTION}, seeded once by the status snapshot.
 *
 * <p>Status: {@code healthy} when every breaker is closed, every probed dependency answers and the durable queue flows
 * (not stalled, no dead letters waiting for an operator); {@code unhealthy} when every breaker is open, or the view has
 * not been seeded; {@code degraded} otherwise (fallbacks are serving, or the queue needs attention).
 * Subscriptions are listed (with their delivery breaker) but do not change the status: a handler that another
 * verticle has not registered yet is not the node's ill health.
 */
final class HealthView {

  static final String HEALTHY = "healthy";
  static final String DEGRADED = "degraded";
  static final String UNHEALTHY = "unhealthy";
  private static final String CLOSED = "closed";
  private static final String OPEN = "open";

  private final Map<String, String> states = new TreeMap<>();
  private final Map<String, String> since = new TreeMap<>();
  private final Map<String, JsonObject> dependencies = new TreeMap<>();
  private final Map<String, JsonObject> subscriptions = new TreeMap<>();
  private JsonObject queue = new JsonObject();
  private boolean seeded;

  synchronized void seed(JsonObject snapshot) {
    snapshot.getJsonObject("circuit_breakers", new JsonObject())
      .forEach(e -> states.putIfAbsent(e.getKey(), String.valueOf(e.getValue())));
    snapshot.getJsonObject("since", new JsonObject())
      .forEach(e -> since.putIfAbsent(e.getKey(), String.valueOf(e.getValue())));
    seeded = true;
  }

  synchronized void onBreakerEvent(JsonObject event) {
    states.put(event.getString("service"), event.getString("state"));
    since.put(event.getString("service"), event.getString("at"));
  }

  synchronized void onDependencyEvent(JsonObject event) {
    JsonObject detail = event.copy();
    detail.remove("dependency");
    dependencies.put(event.getString("dependency"), detail);
  }

  synchronized void onQueueEvent(JsonObject event) {
    queue = event.copy();
  }

  synchronized void onSubscriptionEvent(JsonObject event) {
    JsonObject detail = event.copy();
    detail.remove("subscription");
    subscriptions.put(event.getString("subscription"), detail);
  }

  synchronized boolean isSeeded() {
    return seeded;
  }

  synchronized String status() {
    if (!seeded) {
      return UNHEALTHY;
    }
    boolean allReachable = dependencies.values().stream().allMatch(d -> d.getBoolean("reachable", false));
    boolean queueFlows = !queue.getBoolean("stalled", false) && queue.getLong("dead", 0L) == 0;
    if (allReachable && queueFlows && states.values().stream().allMatch(CLOSED::equals)) {
      return HEALTHY;
    }
    return !states.isEmpty() && states.values().stream().allMatch(OPEN::equals) ? UNHEALTHY : DEGRADED;
  }

  synchronized JsonObject toJson() {
    JsonObject breakers = new JsonObject();
    JsonObject transitions = new JsonObject();
    states.forEach((name, state) -> {
      breakers.put(name, state);
      transitions.put(name, since.get(name));
    });
    JsonObject probes = new JsonObject();
    dependencies.forEach((name, detail) -> probes.put(name, detail.copy()));
    JsonObject consumed = new JsonObject();
    subscriptions.forEach((name, detail) -> consumed.put(name, detail.copy()));
    return new JsonObject()
      .put("status", status())
      .put("circuit_breakers", breakers)
      .put("breaker_since", transitions)
      .put("dependencies", probes)
      .put("queue", queue.copy())
      .put("subscriptions", consumed);
  }
}
