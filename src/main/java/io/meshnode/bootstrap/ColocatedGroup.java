package io.meshnode.bootstrap;

import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;

/**
 * Several verticles deployed as one: each keeps its own class, client and addresses, but all start, in order, on
 * the same context (one event loop), so requests between them are direct calls instead of bus hops that hand a
 * message to another thread. Undeployed in reverse order.
 */
final class ColocatedGroup implements Deployable {

  private final List<Deployable> members;

  ColocatedGroup(List<Deployable> members) {
    this.members = List.copyOf(members);
  }

  @Override
  public Future<?> deploy(Context context) throws Exception {
    Future<?> chain = Future.succeededFuture();
    for (Deployable member : members) {
      chain = chain.compose(v -> start(member, context));
    }
    return chain;
  }

  @Override
  public Future<?> undeploy(Context context) {
    List<Deployable> reversed = new ArrayList<>(members);
    java.util.Collections.reverse(reversed);
    Future<?> chain = Future.succeededFuture();
    for (Deployable member : reversed) {
      chain = chain.eventually(() -> stop(member, context));
    }
    return chain;
  }

  private static Future<?> start(Deployable member, Context context) {
    try {
      return member.deploy(context);
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  private static Future<?> stop(Deployable member, Context context) {
    try {
      return member.undeploy(context);
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }
}
