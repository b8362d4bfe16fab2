package io.meshnode.resilience;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshHeader;
import io.meshnode.postgres.StatementCatalog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
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
 * {@code mesh-source} and {@code mesh-attempts} headers. Breaker transitions are logged, counted in
 * {@code circuit_breaker_state} and published on {@link MeshAddress#EVENTS_BREAKER}.
 *
 * <p>Config sections: {@code resilience} (required), {@code postgres} (statement names, for 404s), {@code kafka}
 * ({@code topics} allow-list), {@code limits}.
 */
public final class ResilienceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ResilienceVerticle.class);

  /** Which internal address serves each public one. */
  private static final Map<String, String> INTERNAL = Map.of(
    MeshAddress.KAFKA_PUBLISH, MeshAddress.INTERNAL_KAFKA_PUBLISH,
    MeshAddress.PG_QUERY, MeshAddress.INTERNAL_PG_QUERY,
    MeshAddress.REDIS_GET, MeshAddress.INTERNAL_REDIS_GET,
    MeshAddress.REDIS_SET, MeshAddress.INTERNAL_REDIS_SET,
    MeshAddress.REDIS_DEL, MeshAddress.INTERNAL_REDIS_DEL);

  private final Map<String, DependencyBreaker> breakers = new LinkedHashMap<>();
  private final Map<String, String> transitionTimes = new LinkedHashMap<>();
  private RequestValidator validator;

  @Override
  public Future<?> start() {
    ResilienceConfig resilience = ResilienceConfig.fromJson(config().getJsonObject("resilience"));
    INTERNAL.keySet().stream().filter(a -> !resilience.routes().containsKey(a)).findFirst().ifPresent(missing -> {
      throw ConfigValues.invalid("resilience.routes." + missing, null, "is required");
    });
    StatementCatalog statements = StatementCatalog.fromJson(config().getJsonObject("postgres", new JsonObject()));
    validator = RequestValidators.fromConfig(config(), statements);
    ResilienceMetrics metrics = new ResilienceMetrics(meterRegistry());
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
    for (RouteOptions route : resilience.routes().values()) {
      String internal = INTERNAL.get(route.address());
      if (internal == null) {
        throw ConfigValues.invalid("resilience.routes", route.address(), "must be one of " + INTERNAL.keySet());
      }
      ResiliencePipeline pipeline = new ResiliencePipeline(vertx, route, breakers.get(route.breaker().name()),
        fallbacks.forRoute(route), metrics.operation(route.operation()));
      InternalCall call = InternalCall.to(vertx, context, internal);
      LOG.info("route {} -> {} ({})", route.address(), internal,
        InternalCall.isDirect(context, internal) ? "direct call, colocated" : "event bus");
      live.add(vertx.eventBus().<Object>consumer(route.address(), msg -> serve(pipeline, call, msg)).completion());
    }
    live.add(vertx.eventBus().consumer(MeshAddress.STATUS_SNAPSHOT, msg -> msg.reply(snapshot())).completion());
    return Future.all(live);
  }

  @Override
  public Future<?> stop() {
    breakers.values().forEach(DependencyBreaker::close);
    return Future.succeededFuture();
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
    }
    pipeline.execute(request, deadline, remaining -> call.call(request, remaining))
      .onSuccess(outcome -> msg.reply(outcome.body(), ReplyHeaders.of(outcome)))
      .onFailure(failure -> {
        ReplyException reply = Failures.toReply(failure);
        msg.fail(reply.failureCode(), reply.getMessage());
      });
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
    vertx.eventBus().publish(MeshAddress.EVENTS_BREAKER, new JsonObject()
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

  private static MeterRegistry meterRegistry() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return registry != null ? registry : new SimpleMeterRegistry();
  }
}
