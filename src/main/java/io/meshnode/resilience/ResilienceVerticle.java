package io.meshnode.resilience;

import io.meshnode.bootstrap.MetricsSetup;
import io.meshnode.cluster.SubscriptionWithdrawal;
import io.meshnode.contract.LocalEvents;
import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshFailure;
import io.meshnode.contract.MeshHeader;
import io.meshnode.postgres.StatementCatalog;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Owns the public {@code mesh.*} addresses: validates each request, serves it through its route's
 * {@link ResiliencePipeline} against the data verticle's internal address, and replies with the
 * {@code mesh-source}, {@code mesh-attempts} and {@code mesh-node} headers. The public addresses are cluster-wide
 * consumers; the status snapshot is node-local. Breaker transitions are logged, counted in
 * {@code circuit_breaker_state} and published node-locally on {@link MeshAddress#EVENTS_BREAKER}. Stopping
 * drops no request: it leaves the cluster's routing first, then answers with a coded 503 and lets the requests in
 * flight finish ({@link #stop()}).
 *
 * <p>Config section {@code node}: {@code id}, the value of the {@code mesh-node} reply header.
 *
 * <p>Config sections: {@code resilience} (required), {@code postgres} (statement names, for 404s), {@code kafka}
 * ({@code topics} allow-list), {@code limits}.
 */
public final class ResilienceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ResilienceVerticle.class);
  /** Beyond the longest deadline, how long stop waits for replies already on their way. */
  private static final long DRAIN_MARGIN_MILLIS = 500;
  /** Default of {@code cluster.drain_grace_ms}. */
  private static final int DEFAULT_DRAIN_GRACE_MILLIS = 1500;

  /** Which internal address serves each public one. */
  private static final Map<String, String> INTERNAL = Map.of(
    MeshAddress.KAFKA_PUBLISH, MeshAddress.INTERNAL_KAFKA_PUBLISH,
    MeshAddress.PG_QUERY, MeshAddress.INTERNAL_PG_QUERY,
    MeshAddress.REDIS_GET, MeshAddress.INTERNAL_REDIS_GET,
    MeshAddress.REDIS_SET, MeshAddress.INTERNAL_REDIS_SET,
    MeshAddress.REDIS_DEL, MeshAddress.INTERNAL_REDIS_DEL);

  private final Map<String, DependencyBreaker> breakers = new LinkedHashMap<>();
  private final Map<String, String> transitionTimes = new LinkedHashMap<>();
  private final List<MessageConsumer<?>> publicConsumers = new ArrayList<>();
  private RequestValidator validator;
  private String nodeId;
  private ReplyHeaders replyHeaders;
  private long longestDeadlineMillis;
  /** How long a stopping clustered node keeps answering requests still routed to it; 0 when not clustered. */
  private long drainGraceMillis;
  /** Requests being served; only touched on this verticle's context. */
  private int inFlight;
  private Promise<Void> drained;

  @Override
  public Future<?> start() {
    ResilienceConfig resilience = ResilienceConfig.fromJson(config().getJsonObject("resilience"));
    JsonObject node = config().getJsonObject("node", new JsonObject());
    nodeId = node.getString("id", "local");
    replyHeaders = new ReplyHeaders(nodeId);
    drainGraceMillis = node.getBoolean("clustered", false) ? ConfigValues.nonNegativeInt(
      config().getJsonObject("cluster", new JsonObject()), "cluster", "drain_grace_ms", DEFAULT_DRAIN_GRACE_MILLIS) : 0;
    INTERNAL.keySet().stream().filter(a -> !resilience.routes().containsKey(a)).findFirst().ifPresent(missing -> {
      throw ConfigValues.invalid("resilience.routes." + missing, null, "is required");
    });
    StatementCatalog statements = StatementCatalog.fromJson(config().getJsonObject("postgres", new JsonObject()));
    validator = RequestValidators.fromConfig(config(), statements);
    ResilienceMetrics metrics = new ResilienceMetrics(MetricsSetup.currentRegistry());
    resilience.breakers().values().forEach(options -> {
      DependencyBreaker breaker = new DependencyBreaker(vertx, options, Failures::countsAgainstDependency);
      breaker.onTransition((from, to) -> {
        metrics.transitioned(breaker.name(), to);
        announce(breaker.name(), from, to);
      });
      metrics.watch(breaker);
      breakers.put(options.name(), breaker);
      transitionTimes.put(options.name(), Instant.now().toString());
    });
    Fallbacks fallbacks = new Fallbacks(resilience, statements,
      InternalCall.to(vertx, context, MeshAddress.INTERNAL_KAFKA_ENQUEUE));
    List<Future<Void>> live = new ArrayList<>();
    Deadlines deadlines = new Deadlines(vertx);
    for (RouteOptions route : resilience.routes().values()) {
      String internal = INTERNAL.get(route.address());
      if (internal == null) {
        throw ConfigValues.invalid("resilience.routes", route.address(), "must be one of " + INTERNAL.keySet());
      }
      ResiliencePipeline pipeline = new ResiliencePipeline(vertx, deadlines, route, breakers.get(route.breaker().name()),
        fallbacks.forRoute(route), metrics.operation(route.operation()));
      InternalCall call = InternalCall.to(vertx, context, internal);
      LOG.info("route {} -> {} ({})", route.address(), internal,
        InternalCall.isDirect(context, internal) ? "direct call, colocated" : "event bus");
      longestDeadlineMillis = Math.max(longestDeadlineMillis, route.timeout().toMillis());
      MessageConsumer<Object> consumer = vertx.eventBus().consumer(route.address(), msg -> serve(pipeline, call, msg));
      publicConsumers.add(consumer);
      live.add(consumer.completion());
    }
    live.add(vertx.eventBus().localConsumer(MeshAddress.STATUS_SNAPSHOT, msg -> msg.reply(snapshot())).completion());
    return Future.all(live);
  }

  /**
   * Stops taking requests without dropping any. When clustered, this node's subscriptions to the public addresses
   * are first withdrawn from the cluster while the consumers keep serving, for {@code cluster.drain_grace_ms}: the
   * time the other nodes take to learn it and send elsewhere (a consumer unregistered at once would let requests
   * already routed here be dropped by Vert.x, see {@link SubscriptionWithdrawal}). Then a node-local refuser takes
   * each public address (a request sent from this node still gets a coded 503 saying the node is stopping, never
   * silence), the consumers are unregistered, and stop waits for the requests in flight to be answered (served, by a
   * fallback, or with a coded failure), at most the longest operation deadline; then the data verticles may close.
   */
  @Override
  public Future<?> stop() {
    List<String> addresses = publicConsumers.stream().map(MessageConsumer::address).toList();
    return SubscriptionWithdrawal.withdraw(vertx, addresses)
      .onFailure(e -> LOG.warn("stopping: could not withdraw the public addresses from the cluster", e))
      .otherwiseEmpty()
      .compose(v -> drainGrace())
      .compose(v -> Future.join(addresses.stream().map(this::refuseWhileStopping).toList()).otherwiseEmpty())
      .compose(v -> Future.join(publicConsumers.stream().map(MessageConsumer::unregister).toList()).otherwiseEmpty())
      .compose(v -> inFlightDrained())
      .eventually(() -> {
        breakers.values().forEach(DependencyBreaker::close);
        return Future.succeededFuture();
      });
  }

  private Future<Void> refuseWhileStopping(String address) {
    return vertx.eventBus().localConsumer(address, msg -> msg.fail(MeshFailure.UNAVAILABLE,
      "node " + nodeId + " is stopping: send the request again, other nodes serve it")).completion();
  }

  private Future<Void> drainGrace() {
    if (drainGraceMillis == 0 || !vertx.isClustered()) {
      return Future.succeededFuture();
    }
    LOG.info("stopping: withdrawn from the cluster, serving what is still routed here for {} ms", drainGraceMillis);
    return vertx.timer(drainGraceMillis).mapEmpty();
  }

  private Future<Void> inFlightDrained() {
    if (inFlight == 0) {
      return Future.succeededFuture();
    }
    LOG.info("stopping: waiting for {} request(s) in flight (at most {} ms)", inFlight, longestDeadlineMillis);
    drained = Promise.promise();
    long bound = vertx.setTimer(longestDeadlineMillis + DRAIN_MARGIN_MILLIS, id -> {
      LOG.warn("stopping: {} request(s) still in flight after {} ms", inFlight, longestDeadlineMillis);
      drained.tryComplete();
    });
    return drained.future().andThen(ar -> vertx.cancelTimer(bound));
  }

  private void serve(ResiliencePipeline pipeline, InternalCall call, Message<Object> msg) {
    JsonObject request;
    long deadline;
    try {
      request = validator.validate(pipeline.route().address(), msg.body());
      deadline = RequestValidator.deadlineMillis(msg.headers().get(MeshHeader.TIMEOUT_MS),
        pipeline.route().timeout().toMillis());
    } catch (ReplyException rejected) {
      msg.fail(rejected.failureCode(), rejected.getMessage());
      return;
    } catch (RuntimeException bug) {
      LOG.error("internal error: validating a request to {}", pipeline.route().address(), bug);
      msg.fail(MeshFailure.INTERNAL, "internal error: " + bug);
      return;
    }
    inFlight++;
    Future<Outcome> served;
    try {
      served = pipeline.execute(request, deadline, remaining -> call.call(request, remaining));
    } catch (RuntimeException bug) {
      served = Future.failedFuture(bug);
    }
    served.onComplete((outcome, failure) -> {
      try {
        answer(msg, outcome, failure);
      } finally {
        if (--inFlight == 0 && drained != null) {
          drained.tryComplete();
        }
      }
    });
  }

  /** Replies with the outcome, or the coded failure; a reply that cannot be sent is answered 500 instead. */
  private void answer(Message<Object> msg, Outcome outcome, Throwable failure) {
    try {
      if (failure == null) {
        msg.reply(outcome.body(), replyHeaders.of(outcome));
        return;
      }
    } catch (RuntimeException bug) {
      LOG.error("internal error: replying to a request to {}", msg.address(), bug);
      failure = bug;
    }
    ReplyException reply = Failures.toReply(failure);
    msg.fail(reply.failureCode(), reply.getMessage());
  }

  private void announce(String service, BreakerState from, BreakerState to) {
    String at = Instant.now().toString();
    synchronized (transitionTimes) {
      transitionTimes.put(service, at);
    }
    if (to == BreakerState.CLOSED) {
      LOG.info("breaker {}: {} -> {}", service, from.label(), to.label());
    } else {
      LOG.warn("breaker {}: {} -> {}", service, from.label(), to.label());
    }
    LocalEvents.publish(vertx, MeshAddress.EVENTS_BREAKER, new JsonObject()
      .put("service", service).put("state", to.label()).put("previous", from.label()).put("at", at));
  }

  private JsonObject snapshot() {
    JsonObject states = new JsonObject();
    JsonObject since = new JsonObject();
    synchronized (transitionTimes) {
      breakers.forEach((name, breaker) -> {
        states.put(name, breaker.state().label());
        since.put(name, transitionTimes.get(name));
      });
    }
    return new JsonObject().put("circuit_breakers", states).put("since", since);
  }
}
