package io.meshnode.contract;

import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * The messages a full node publishes on {@link MeshAddress#CLUSTER_NODE_STATE}, each stamped with the node's cluster
 * node id. {@link #KIND_BREAKER} and {@link #KIND_QUEUE} are sent as things change, {@link #KIND_ANNOUNCE} carries
 * the whole state periodically, {@link #KIND_LEAVING} is the last one a node sends when it stops.
 */
public final class NodeState {

  /** The sender's cluster node id. */
  public static final String NODE = "node";
  /** Which message this is: one of the {@code KIND_*} values. */
  public static final String KIND = "kind";
  /** Of a breaker message: the breaker's name. */
  public static final String SERVICE = "service";
  /** Of a breaker message: the state it moved to ({@code closed}, {@code open}, {@code half_open}). */
  public static final String STATE = "state";
  /** Of a breaker message: when it moved, ISO-8601. */
  public static final String AT = "at";
  /** Of an announcement: every breaker's state, by name. */
  public static final String CIRCUIT_BREAKERS = "circuit_breakers";
  /** Of a queue message or an announcement: the durable Kafka queue's depth. */
  public static final String QUEUE = "queue";

  public static final String KIND_BREAKER = "breaker";
  public static final String KIND_QUEUE = "queue";
  public static final String KIND_ANNOUNCE = "announce";
  public static final String KIND_LEAVING = "leaving";

  private NodeState() {
  }

  /** A breaker of {@code node} moved to {@code state}. */
  public static JsonObject breaker(String node, String service, String state, String at) {
    return stamped(node, KIND_BREAKER).put(SERVICE, service).put(STATE, state).put(AT, at);
  }

  /** The queue of {@code node} now holds {@code depth} messages. */
  public static JsonObject queue(String node, long depth) {
    return stamped(node, KIND_QUEUE).put(QUEUE, depth);
  }

  /** The whole state of {@code node}. */
  public static JsonObject announce(String node, Map<String, String> breakers, long depth) {
    JsonObject states = new JsonObject();
    breakers.forEach(states::put);
    return stamped(node, KIND_ANNOUNCE).put(CIRCUIT_BREAKERS, states).put(QUEUE, depth);
  }

  /** {@code node} is stopping: drop it from the view now. */
  public static JsonObject leaving(String node) {
    return stamped(node, KIND_LEAVING);
  }

  private static JsonObject stamped(String node, String kind) {
    return new JsonObject().put(NODE, node).put(KIND, kind);
  }
}
