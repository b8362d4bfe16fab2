package io.meshnode.bootstrap;

import com.hazelcast.config.Config;
import io.meshnode.contract.LocalEvents;
import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.NodeState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.NodeListener;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The Hazelcast cluster manager, plus one thing: when it reports that a node left, the node id is also published
 * node-locally on {@link MeshAddress#EVENTS_NODE_LEFT}, so that the cluster view drops the node at once instead of
 * waiting for its announcements to expire. {@link #nodeListener} has a single slot, which Vert.x itself takes when
 * HA is enabled: a listener Vert.x sets is kept and called first.
 */
final class MeshClusterManager extends HazelcastClusterManager {

  private final NodeListener relay = new NodeListener() {
    @Override
    public void nodeAdded(String nodeId) {
      NodeListener listener = delegate;
      if (listener != null) {
        listener.nodeAdded(nodeId);
      }
    }

    @Override
    public void nodeLeft(String nodeId) {
      NodeListener listener = delegate;
      if (listener != null) {
        listener.nodeLeft(nodeId);
      }
      Vertx current = vertx;
      if (current != null) {
        LocalEvents.publish(current, MeshAddress.EVENTS_NODE_LEFT, new JsonObject().put(NodeState.NODE, nodeId));
      }
    }
  };
  private volatile NodeListener delegate;
  private volatile Vertx vertx;

  MeshClusterManager(Config config) {
    super(config);
  }

  @Override
  public void init(Vertx vertx) {
    this.vertx = vertx;
    super.init(vertx);
    super.nodeListener(relay);
  }

  /** Keeps {@code listener} (Vert.x sets one when HA is enabled) behind the relay instead of replacing it. */
  @Override
  public void nodeListener(NodeListener listener) {
    delegate = listener;
    super.nodeListener(relay);
  }
}
