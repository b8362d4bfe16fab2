package io.meshnode.cluster;

import io.meshnode.contract.LocalStatus;
import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.NodeState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.TreeMap;

/**
 * Tells the cluster what this full node's breakers and durable queue are doing: it listens to the node-local
 * {@link MeshAddress#EVENTS_BREAKER} and {@link MeshAddress#EVENTS_QUEUE} and publishes each change, stamped with the
 * node id, on the cluster-wide {@link MeshAddress#CLUSTER_NODE_STATE}; every {@code announce_interval_ms} it
 * publishes the whole state, so that nodes that join later fill in and a node that stops announcing expires from
 * their views; when stopped it publishes that it is leaving. Only deployed on full nodes; idle when not clustered.
 *
 * <p>Config sections: {@code node} ({@code id}, {@code clustered}), {@code cluster} ({@code announce_interval_ms},
 * default {@value #DEFAULT_ANNOUNCE_INTERVAL_MS}).
 */
public final class ClusterAnnouncer extends VerticleBase {

  /** How often the whole state is announced, by default. */
  public static final long DEFAULT_ANNOUNCE_INTERVAL_MS = 2_000;

  private static final Logger LOG = LoggerFactory.getLogger(ClusterAnnouncer.class);

  private final Map<String, String> breakers = new TreeMap<>();
  private String nodeId;
  private long queueDepth;
  private long timer = -1;

  @Override
  public Future<?> start() {
    JsonObject node = config().getJsonObject("node", new JsonObject());
    if (!node.getBoolean("clustered", false)) {
      return Future.succeededFuture();
    }
    nodeId = node.getString("id");
    long interval = config().getJsonObject("cluster", new JsonObject())
      .getLong("announce_interval_ms", DEFAULT_ANNOUNCE_INTERVAL_MS);
    if (interval <= 0) {
      throw new IllegalArgumentException("invalid config cluster.announce_interval_ms: must be > 0, got " + interval);
    }
    Future<Void> breakerEvents = vertx.eventBus().<JsonObject>localConsumer(MeshAddress.EVENTS_BREAKER,
      msg -> onBreaker(msg.body())).completion();
    Future<Void> queueEvents = vertx.eventBus().<JsonObject>localConsumer(MeshAddress.EVENTS_QUEUE,
      msg -> onQueue(msg.body().getLong("depth", 0L))).completion();
    return Future.all(breakerEvents, queueEvents).compose(v -> seed()).onSuccess(v -> {
      announce();
      timer = vertx.setPeriodic(interval, id -> announce());
      LOG.info("cluster: announcing node {} every {} ms", nodeId, interval);
    });
  }

  @Override
  public Future<?> stop() {
    if (nodeId != null) {
      vertx.cancelTimer(timer);
      vertx.eventBus().publish(MeshAddress.CLUSTER_NODE_STATE, NodeState.leaving(nodeId));
    }
    return Future.succeededFuture();
  }

  private Future<Void> seed() {
    return LocalStatus.request(vertx).map(status -> {
      if (status.breakers().succeeded()) {
        status.breakers().result().getJsonObject("circuit_breakers", new JsonObject())
          .forEach(e -> breakers.putIfAbsent(e.getKey(), String.valueOf(e.getValue())));
      }
      if (status.queue().succeeded()) {
        queueDepth = status.queue().result().getLong("depth", 0L);
      }
      return null;
    });
  }

  private void onBreaker(JsonObject event) {
    String service = event.getString("service");
    String state = event.getString("state");
    breakers.put(service, state);
    vertx.eventBus().publish(MeshAddress.CLUSTER_NODE_STATE,
      NodeState.breaker(nodeId, service, state, event.getString("at")));
  }

  private void onQueue(long depth) {
    if (depth != queueDepth) {
      queueDepth = depth;
      vertx.eventBus().publish(MeshAddress.CLUSTER_NODE_STATE, NodeState.queue(nodeId, depth));
    }
  }

  private void announce() {
    vertx.eventBus().publish(MeshAddress.CLUSTER_NODE_STATE, NodeState.announce(nodeId, breakers, queueDepth));
  }
}
