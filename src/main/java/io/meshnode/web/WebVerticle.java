package io.meshnode.web;

import io.meshnode.contract.MeshAddress;
import io.meshnode.resilience.ConfigValues;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /health} (the spec's shape plus probe results, breaker transition times, queue depth and Kafka
 * subscriptions; 200 when healthy or degraded, 503 when unhealthy), {@code /health/live}, {@code /health/ready} and {@code GET /metrics} (Prometheus text). It reads
 * breaker, probe, queue and subscription events from the bus; it never polls the other verticles.
 *
 * <p>Config section {@code web}: {@code host} (default 0.0.0.0), {@code port} (default 8080).
 */
public final class WebVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WebVerticle.class);
  private static final String JSON = "application/json";

  private final HealthView view = new HealthView();

  @Override
  public Future<?> start() {
    JsonObject web = config().getJsonObject("web", new JsonObject());
    Future<Void> breakerEvents = vertx.eventBus().<JsonObject>consumer(MeshAddress.EVENTS_BREAKER,
      msg -> view.onBreakerEvent(msg.body())).completion();
    Future<Void> queueEvents = vertx.eventBus().<JsonObject>consumer(MeshAddress.EVENTS_QUEUE,
      msg -> view.onQueueEvent(msg.body())).completion();
    Future<Void> dependencyEvents = vertx.eventBus().<JsonObject>consumer(MeshAddress.EVENTS_DEPENDENCY,
      msg -> view.onDependencyEvent(msg.body())).completion();
    Future<Void> subscriptionEvents = vertx.eventBus().<JsonObject>consumer(MeshAddress.EVENTS_SUBSCRIPTION,
      msg -> view.onSubscriptionEvent(msg.body())).completion();
    Router router = Router.router(vertx);
    router.get("/health").handler(this::health);
    router.get("/health/live").handler(ctx -> ctx.response().putHeader("content-type", JSON)
      .end(new JsonObject().put("status", "up").encode()));
    router.get("/health/ready").handler(this::ready);
    router.get("/metrics").handler(metricsHandler());
    return Future.all(breakerEvents, queueEvents, dependencyEvents, subscriptionEvents)
      .compose(v -> seed())
      .compose(v -> vertx.createHttpServer()
        .requestHandler(router)
        .listen(ConfigValues.nonNegativeInt(web, "web", "port", 8080), ConfigValues.string(web, "web", "host", "0.0.0.0")))
      .onSuccess(server -> LOG.info("web: /health and /metrics on port {}", server.actualPort()));
  }

  private Future<Void> seed() {
    Future<JsonObject> breakers = vertx.eventBus().<JsonObject>request(MeshAddress.STATUS_SNAPSHOT, null)
      .map(Message::body);
    Future<JsonObject> queue = vertx.eventBus().<JsonObject>request(MeshAddress.INTERNAL_QUEUE_STATUS, null)
      .map(Message::body);
    return Future.join(breakers, queue).otherwiseEmpty().map(v -> {
      if (breakers.succeeded()) {
        view.seed(breakers.result());
      } else {
        LOG.warn("web: no breaker snapshot ({}); /health reports unhealthy until one arrives",
          breakers.cause().getMessage());
      }
      if (queue.succeeded()) {
        view.onQueueEvent(queue.result());
      }
      return null;
    });
  }

  private void health(RoutingContext ctx) {
    JsonObject body = view.toJson();
    int status = HealthView.UNHEALTHY.equals(body.getString("status")) ? 503 : 200;
    ctx.response().setStatusCode(status).putHeader("content-type", JSON).end(body.encode());
  }

  private void ready(RoutingContext ctx) {
    boolean ready = view.isSeeded();
    ctx.response().setStatusCode(ready ? 200 : 503).putHeader("content-type", JSON)
      .end(new JsonObject().put("status", ready ? "ready" : "starting").encode());
  }

  private static io.vertx.core.Handler<RoutingContext> metricsHandler() {
    if (BackendRegistries.getDefaultNow() instanceof PrometheusMeterRegistry registry) {
      return PrometheusScrapingHandler.create(registry);
    }
    return ctx -> ctx.response().setStatusCode(503).end("metrics are not enabled on this Vert.x instance\n");
  }
}
