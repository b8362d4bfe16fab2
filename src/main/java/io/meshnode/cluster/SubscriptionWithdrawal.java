package io.meshnode.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.RegistrationInfo;

import java.util.Collection;
import java.util.List;

/**
 * Takes this node's cluster-wide subscriptions to some addresses out of the cluster's subscription map while the
 * consumers behind them stay registered locally.
 *
 * <p>Why: unregistering a cluster-wide consumer removes its local handler at once, but the other nodes keep sending
 * to this node until their copy of the subscription map learns of the removal; a message that arrives from the wire
 * in between finds no handler it may use (node-local consumers never take wire messages) and Vert.x drops it
 * silently. Withdrawing first, then waiting for the cluster to learn it while still serving, then unregistering,
 * loses nothing. Unregistering a withdrawn consumer later removes nothing more from the map, harmlessly.
 */
public final class SubscriptionWithdrawal {

  private SubscriptionWithdrawal() {
  }

  /**
   * Removes this node's non-local registrations of {@code addresses} from the cluster; completes at once when Vert.x
   * is not clustered. Completes on the caller's context (the cluster manager answers on worker threads).
   */
  public static Future<Void> withdraw(Vertx vertx, Collection<String> addresses) {
    if (!vertx.isClustered() || !(vertx instanceof VertxInternal internal) || internal.clusterManager() == null) {
      return Future.succeededFuture();
    }
    ClusterManager manager = internal.clusterManager();
    ContextInternal caller = internal.getOrCreateContext();
    List<Future<Void>> removals = addresses.stream().distinct().map(address -> withdraw(manager, address)).toList();
    Promise<Void> withdrawn = caller.promise();
    Future.all(removals).<Void>mapEmpty().onComplete(withdrawn);
    return withdrawn.future();
  }

  private static Future<Void> withdraw(ClusterManager manager, String address) {
    Promise<List<RegistrationInfo>> registrations = Promise.promise();
    manager.getRegistrations(address, registrations);
    return registrations.future().compose(all -> Future.all(all.stream()
      .filter(info -> !info.localOnly() && manager.getNodeId().equals(info.nodeId()))
      .map(info -> {
        Promise<Void> removed = Promise.promise();
        manager.removeRegistration(address, info, removed);
        return removed.future();
      }).toList())).mapEmpty();
  }
}
