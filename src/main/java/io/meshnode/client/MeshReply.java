package io.meshnode.client;

import io.meshnode.contract.MeshHeader;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * A successful answer of the mesh.
 *
 * @param body     the reply body, as the contract describes it for the address
 * @param fallback true when the operation's fallback answered ({@code mesh-source: fallback})
 * @param attempts attempts the node made on the dependency ({@code mesh-attempts})
 * @param node     id of the node that answered ({@code mesh-node}; in a cluster, which full node served it)
 */
public record MeshReply(JsonObject body, boolean fallback, int attempts, String node) {

  static MeshReply of(Message<JsonObject> message) {
    String attempts = message.headers().get(MeshHeader.ATTEMPTS);
    return new MeshReply(message.body(),
      MeshHeader.SOURCE_FALLBACK.equals(message.headers().get(MeshHeader.SOURCE)),
      attempts == null ? 0 : Integer.parseInt(attempts), message.headers().get(MeshHeader.NODE));
  }
}
