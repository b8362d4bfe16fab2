package io.meshnode.bench;

import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Which event-loop thread receives each address during a short probe pass: shows how many thread hand-offs a
 * request crosses (Vert.x places verticles on its event loops round-robin, so two verticles may share one by
 * chance). The inbound interceptor is removed before anything is measured.
 */
final class Placement {

  private Placement() {
  }

  static String probe(MeshNode node, ClosedLoop loop, Variant variant) {
    Map<String, Set<String>> threads = new ConcurrentHashMap<>();
    Handler<DeliveryContext<Object>> interceptor = delivery -> {
      String address = delivery.message().address();
      threads.computeIfAbsent(address.startsWith("__vertx.reply") ? "(replies)" : address,
        k -> new ConcurrentSkipListSet<>()).add(Thread.currentThread().getName());
      delivery.next();
    };
    node.vertx().eventBus().addInboundInterceptor(interceptor);
    try {
      loop.run(variant.name(), variant.op(), 1, 300, 200);
    } finally {
      node.vertx().eventBus().removeInboundInterceptor(interceptor);
    }
    String driver = loop.onLoop("name the driver's thread",
      () -> io.vertx.core.Future.succeededFuture(Thread.currentThread().getName()));
    return "placement of " + variant.name() + ": driver on " + driver + "; receivers " + new TreeMap<>(threads);
  }

  /** The thread that receives requests to {@code address} on the node (one request, from outside any event loop). */
  static String threadServing(MeshNode node, String address) {
    Set<String> threads = new ConcurrentSkipListSet<>();
    Handler<DeliveryContext<Object>> interceptor = delivery -> {
      if (delivery.message().address().equals(address)) {
        threads.add(Thread.currentThread().getName());
      }
      delivery.next();
    };
    node.vertx().eventBus().addInboundInterceptor(interceptor);
    try {
      Wait.on(node.vertx().eventBus().request(address, null), "ask " + address);
    } finally {
      node.vertx().eventBus().removeInboundInterceptor(interceptor);
    }
    return threads.isEmpty() ? "" : threads.iterator().next();
  }
}
