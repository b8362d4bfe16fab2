package io.meshnode.bootstrap;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;

import java.util.UUID;

/**
 * Who this node is, handed to every verticle as the config section {@value #SECTION}:
 * {@code {id, clustered, profile}}. The id is the cluster manager's node id when clustered (the one the cluster
 * view and the {@code mesh-node} reply header show), otherwise a random id kept for the Vert.x instance's lifetime.
 */
public final class NodeIdentity {

  /** The config section every verticle receives. */
  public static final String SECTION = "node";

  private static final String LOCAL_MAP = NodeIdentity.class.getName();

  private NodeIdentity() {
  }

  /** The {@value #SECTION} section for a plan of {@code profile} deployed on {@code vertx}. */
  public static JsonObject section(Vertx vertx, String profile) {
    return new JsonObject().put("id", nodeId(vertx)).put("clustered", vertx.isClustered()).put("profile", profile);
  }

  /** The cluster node id of {@code vertx}, or its local id when it is not clustered. */
  public static String nodeId(Vertx vertx) {
    if (vertx.isClustered() && vertx instanceof VertxInternal internal && internal.clusterManager() != null) {
      return internal.clusterManager().getNodeId();
    }
    LocalMap<String, String> ids = vertx.sharedData().getLocalMap(LOCAL_MAP);
    String fresh = UUID.randomUUID().toString();
    String existing = ids.putIfAbsent(SECTION, fresh);
    return existing != null ? existing : fresh;
  }
}
