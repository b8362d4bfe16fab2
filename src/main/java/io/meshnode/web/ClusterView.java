package io.meshnode.web;

import io.meshnode.contract.NodeState;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The full nodes of the cluster as {@code /health} shows them under {@code cluster.nodes}: each node's breaker states
 * and queue depth, fed by the {@link NodeState} messages nodes publish. A node is dropped when it says it is
 * leaving, when the cluster manager reports it left ({@link #onNodeLeft}), or at the latest {@code expiryMillis}
 * after its last message; messages from a dropped node that arrive within {@code expiryMillis} after it left (they
 * were in flight) do not bring it back.
 */
final class ClusterView {

  private static final class Node {
    private final Map<String, String> breakers = new TreeMap<>();
    private long queue;
    private long lastSeenMillis;
  }

  private final long expiryMillis;
  private final LongSupplier clockMillis;
  private final Map<String, Node> nodes = new TreeMap<>();
  private final Map<String, Long> departedAtMillis = new HashMap<>();

  ClusterView(long expiryMillis, LongSupplier clockMillis) {
    if (expiryMillis <= 0) {
      throw new IllegalArgumentException("invalid config cluster.expiry_ms: must be > 0, got " + expiryMillis);
    }
    this.expiryMillis = expiryMillis;
    this.clockMillis = clockMillis;
  }

  synchronized void onNodeState(JsonObject message) {
    String id = message.getString(NodeState.NODE);
    String kind = message.getString(NodeState.KIND);
    if (id == null || kind == null) {
      return;
    }
    long now = clockMillis.getAsLong();
    expire(now);
    if (NodeState.KIND_LEAVING.equals(kind)) {
      depart(id, now);
      return;
    }
    if (departedAtMillis.containsKey(id)) {
      return;
    }
    Node node = nodes.computeIfAbsent(id, key -> new Node());
    node.lastSeenMillis = now;
    switch (kind) {
      case NodeState.KIND_BREAKER -> node.breakers.put(message.getString(NodeState.SERVICE),
        message.getString(NodeState.STATE));
      case NodeState.KIND_QUEUE -> node.queue = message.getLong(NodeState.QUEUE, 0L);
      case NodeState.KIND_ANNOUNCE -> {
        node.breakers.clear();
        message.getJsonObject(NodeState.CIRCUIT_BREAKERS, new JsonObject())
          .forEach(e -> node.breakers.put(e.getKey(), String.valueOf(e.getValue())));
        node.queue = message.getLong(NodeState.QUEUE, 0L);
      }
      default -> {
        // a kind this version does not know: the node is alive, nothing else changes
      }
    }
  }

  /** The cluster manager reports that {@code id} left: drop it now. */
  synchronized void onNodeLeft(String id) {
    depart(id, clockMillis.getAsLong());
  }

  /** {@code {"nodes": {"<id>": {"circuit_breakers": {...}, "queue": n, "last_seen_ms": m}}}}. */
  synchronized JsonObject toJson() {
    long now = clockMillis.getAsLong();
    expire(now);
    JsonObject out = new JsonObject();
    nodes.forEach((id, node) -> {
      JsonObject breakers = new JsonObject();
      node.breakers.forEach(breakers::put);
      out.put(id, new JsonObject().put(NodeState.CIRCUIT_BREAKERS, breakers).put(NodeState.QUEUE, node.queue)
        .put("last_seen_ms", now - node.lastSeenMillis));
    });
    return new JsonObject().put("nodes", out);
  }

  synchronized int size() {
    expire(clockMillis.getAsLong());
    return nodes.size();
  }

  private void depart(String id, long now) {
    nodes.remove(id);
    departedAtMillis.put(id, now);
  }

  private void expire(long now) {
    nodes.values().removeIf(node -> now - node.lastSeenMillis > expiryMillis);
    departedAtMillis.values().removeIf(at -> now - at > expiryMillis);
  }
}
