package io.meshnode.web;

import io.meshnode.contract.LocalStatus;
import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.NodeState;
import io.meshnode.contract.QueueAdmin;
import io.meshnode.resilience.ConfigValues;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Serves {@code GET /health} (the spec's shape plus probe results, breaker transition times, the durable queue and
 * Kafka subscriptions; 200 when healthy or degraded, 503 when unhealthy), {@code /health/live}, {@code /health/ready},
 * {@code GET /metrics} (Prometheus text) and, to loopback callers only, the queue's dead-letter admin
 * ({@link QueueAdmin}: {@code GET /admin/queue/dead}, {@code POST /admin/queue/dead/requeue|drop}). It reads breaker, probe, queue and subscription events from the node-local
 * bus; it never polls the other verticles. {@code /health} names this node ({@code node}); when clustered it adds
 * {@code cluster.nodes}, the {@link ClusterView} of every full node, fed by {@link MeshAddress#CLUSTER_NODE_STATE}
 * and {@link MeshAddress#EVENTS_NODE_LEFT}.
 *
 * <p>A clustered node without a resilience verticle of its own (the {@code client} profile) relays: it is healthy
 * and ready while its cluster view holds at least one full node, unhealthy (503) otherwise.
 *
 * <p>Config sections: {@code web}: {@code host} (default 0.0.0.0), {@code port} (default 8080); {@code cluster}:
 * {@code expiry_ms} (default {@value #DEFAULT_EXPIRY_MS}); {@code node}: {@code id}, {@code clustered}.
 */
public final class WebVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WebVerticle.class);
  private static final String JSON = "application/json";
  private static final String ADMIN = "/admin";
  private static final long ADMIN_BODY_LIMIT = 1 << 20;
  /** How long after its last message a node stays in the cluster view, by default. */
  static final long DEFAULT_EXPIRY_MS = 6_000;

  private final HealthView view = new HealthView();
  private ClusterView cluster;
  private String nodeId;
  private volatile boolean relay;

  @Override
  public Future<?> start() {
    JsonObject web = config().getJsonObject("web", new JsonObject());
    JsonObject node = config().getJsonObject("node", new JsonObject());
    nodeId = node.getString("id");
    Future<Void> breakerEvents = vertx.eventBus().<JsonObject>localConsumer(MeshAddress.EVENTS_BREAKER,
      msg -> view.onBreakerEvent(msg.body())).completion();
    Future<Void> queueEvents = vertx.eventBus().<JsonObject>localConsumer(MeshAddress.EVENTS_QUEUE,
      msg -> view.onQueueEvent(msg.body())).completion();
    Future<Void> dependencyEvents = vertx.eventBus().<JsonObject>localConsumer(MeshAddress.EVENTS_DEPENDENCY,
      msg -> view.onDependencyEvent(msg.body())).completion();
    Future<Void> subscriptionEvents = vertx.eventBus().<JsonObject>localConsumer(MeshAddress.EVENTS_SUBSCRIPTION,
      msg -> view.onSubscriptionEvent(msg.body())).completion();
    Future<Void> clusterEvents = node.getBoolean("clustered", false) ? watchCluster() : Future.succeededFuture();
    Router router = Router.router(vertx);
    router.get("/health").handler(this::health);
    router.get("/health/live").handler(ctx -> ctx.response().putHeader("content-type", JSON)
      .end(new JsonObject().put("status", "up").encode()));
    router.get("/health/ready").handler(this::ready);
    router.get("/metrics").handler(metricsHandler());
    router.route(ADMIN + "/*").handler(WebVerticle::loopbackOnly);
    router.get(ADMIN + "/queue/dead").handler(ctx -> admin(ctx, new JsonObject().put(QueueAdmin.ACTION, QueueAdmin.LIST)
      .put(QueueAdmin.LIMIT, limit(ctx))));
    router.post(ADMIN + "/queue/dead/:action").handler(BodyHandler.create().setBodyLimit(ADMIN_BODY_LIMIT))
      .handler(ctx -> admin(ctx, bodyOf(ctx).put(QueueAdmin.ACTION, ctx.pathParam("action"))));
    return Future.all(List.of(breakerEvents, queueEvents, dependencyEvents, subscriptionEvents, clusterEvents))
      .compose(v -> seed())
      .compose(v -> vertx.createHttpServer()
        .requestHandler(router)
        .listen(ConfigValues.nonNegativeInt(web, "web", "port", 8080), ConfigValues.string(web, "web", "host", "0.0.0.0")))
      .onSuccess(server -> LOG.info("web: /health and /metrics on port {}", server.actualPort()));
  }

  private Future<Void> watchCluster() {
    long expiry = config().getJsonObject("cluster", new JsonObject()).getLong("expiry_ms", DEFAULT_EXPIRY_MS);
    cluster = new ClusterView(expiry, System::currentTimeMillis);
    Future<Void> states = vertx.eventBus().<JsonObject>consumer(MeshAddress.CLUSTER_NODE_STATE,
      msg -> cluster.onNodeState(msg.body())).completion();
    Future<Void> departures = vertx.eventBus().<JsonObject>localConsumer(MeshAddress.EVENTS_NODE_LEFT,
      msg -> cluster.onNodeLeft(msg.body().getString(NodeState.NODE))).completion();
    return Future.all(states, departures).mapEmpty();
  }

  private Future<Void> seed() {
    return LocalStatus.request(vertx).map(status -> {
      Future<JsonObject> breakers = status.breakers();
      if (breakers.succeeded()) {
        view.seed(breakers.result());
      } else if (cluster != null && isNoHandlers(breakers.cause())) {
        relay = true;
        LOG.info("web: no resilience verticle on this node; /health relays the cluster's full nodes");
      } else {
        LOG.warn("web: no breaker snapshot ({}); /health reports unhealthy until one arrives",
          breakers.cause().getMessage());
      }
      if (status.queue().succeeded()) {
        view.onQueueEvent(status.queue().result());
      }
      return null;
    });
  }

  private static boolean isNoHandlers(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS;
  }

  private void health(RoutingContext ctx) {
    JsonObject body = view.toJson().put("node", nodeId);
    if (cluster != null) {
      body.put("cluster", cluster.toJson());
    }
    if (relay) {
      body.put("status", cluster.size() > 0 ? HealthView.HEALTHY : HealthView.UNHEALTHY);
    }
    int status = HealthView.UNHEALTHY.equals(body.getString("status")) ? 503 : 200;
    ctx.response().setStatusCode(status).putHeader("content-type", JSON).end(body.encode());
  }

  private void ready(RoutingContext ctx) {
    boolean ready = relay ? cluster.size() > 0 : view.isSeeded();
    ctx.response().setStatusCode(ready ? 200 : 503).putHeader("content-type", JSON)
      .end(new JsonObject().put("status", ready ? "ready" : "starting").encode());
  }

  /** Admin routes answer loopback callers only: the node's own host, {@code bin/mesh-node queue}. */
  private static void loopbackOnly(RoutingContext ctx) {
    if (isLoopback(ctx.request().remoteAddress())) {
      ctx.next();
    } else {
      ctx.response().setStatusCode(403).putHeader("content-type", JSON)
        .end(new JsonObject().put("error", "admin routes answer the node's own host only").encode());
    }
  }

  /** Whether the peer is this host: its address is a literal IP, so no name is looked up. */
  private static boolean isLoopback(SocketAddress remote) {
    try {
      return remote != null && remote.hostAddress() != null
        && InetAddress.getByName(remote.hostAddress()).isLoopbackAddress();
    } catch (UnknownHostException notAnAddress) {
      return false;
    }
  }

  private static Object limit(RoutingContext ctx) {
    String limit = ctx.request().getParam(QueueAdmin.LIMIT);
    if (limit == null) {
      return QueueAdmin.DEFAULT_LIMIT;
    }
    try {
      return Integer.parseInt(limit);
    } catch (NumberFormatException e) {
      return limit; // refused by the admin contract, naming the field
    }
  }

  private static JsonObject bodyOf(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      return body == null ? new JsonObject() : body;
    } catch (RuntimeException notAnObject) {
      return new JsonObject().put(QueueAdmin.IDS, "not a JSON object");
    }
  }

  /** Forwards an admin request to the node-local admin address and answers with its reply or coded failure. */
  private void admin(RoutingContext ctx, JsonObject request) {
    vertx.eventBus().<JsonObject>request(MeshAddress.ADMIN_QUEUE_DEAD, request).onComplete(ar -> {
      int status = 200;
      JsonObject body;
      if (ar.succeeded()) {
        body = ar.result().body();
      } else {
        status = ar.cause() instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
          ? reply.failureCode() : 503;
        body = new JsonObject().put("error", ar.cause().getMessage());
      }
      ctx.response().setStatusCode(status).putHeader("content-type", JSON).end(body.encode());
    });
  }

  private static io.vertx.core.Handler<RoutingContext> metricsHandler() {
    if (BackendRegistries.getDefaultNow() instanceof PrometheusMeterRegistry registry) {
      return PrometheusScrapingHandler.create(registry);
    }
    return ctx -> ctx.response().setStatusCode(503).end("metrics are not enabled on this Vert.x instance\n");
  }
}
