package io.meshnode.support;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshFailure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One caller's refusals interleaved with a dependency's real failures, against a node deployed in the test JVM: every
 * refusal must be answered 400 at once (within {@link #REFUSAL_BOUND_MILLIS}), without a retry, a fallback (nothing
 * queued) or a move of the breaker, and the breaker must open exactly at its {@code failure_threshold}'th real
 * failure — neither earlier (refusals counted) nor later (refusals resetting the count).
 *
 * <p>Each real failure must be exactly one failed attempt on the dependency (a frozen dependency cut by the deadline),
 * so that the n-th real failure is the n-th failure the breaker sees.
 */
public final class RefusalDrill {

  /** How fast a refusal is answered: a retry (the drills configure delays of 500 ms) could not fit in it. */
  public static final long REFUSAL_BOUND_MILLIS = 100;
  /** The retry delay the drills configure, so that a retried refusal would miss {@link #REFUSAL_BOUND_MILLIS}. */
  public static final double RETRY_DELAY_SECONDS = 0.5;

  private static final String QUEUE_DEPTH = "queue depth";
  private static final List<String> OPERATIONS = List.of("kafka_publish", "database_query", "cache_read",
    "cache_write", "cache_delete");

  /** A request the validator or the dependency refuses; {@code mentions} is a part of the 400's message. */
  public record Refusal(String kind, String address, JsonObject body, String mentions) {
  }

  private final Vertx vertx;
  private final TestNode node;
  private final String breaker;
  private final int failureThreshold;
  private final Supplier<Future<Void>> realFailure;
  private final AtomicInteger realFailuresStarted = new AtomicInteger();
  private final List<Integer> openedAfter = new ArrayList<>();

  /**
   * @param realFailure breaks the dependency, sends one request that fails against it (answered by its deadline),
   *                    and heals the dependency; completes once healed
   */
  public RefusalDrill(TestNode node, String breaker, int failureThreshold, Supplier<Future<Void>> realFailure) {
    this.vertx = node.vertx();
    this.node = node;
    this.breaker = breaker;
    this.failureThreshold = failureThreshold;
    this.realFailure = realFailure;
  }

  /** Shortens retry and breaker settings of a node config for the drill: delays of 500 ms, a 60 s open state. */
  public static void configure(JsonObject config, String breaker, int failureThreshold) {
    JsonObject resilience = config.getJsonObject("resilience");
    resilience.getJsonObject("retry_policies").forEach(e -> ((JsonObject) e.getValue())
      .put("initial_delay", RETRY_DELAY_SECONDS).put("max_delay", RETRY_DELAY_SECONDS).put("max_retries", 2));
    resilience.getJsonObject("circuit_breakers").getJsonObject(breaker)
      .put("failure_threshold", failureThreshold).put("timeout", 60);
  }

  /** Runs the drill: a warm-up round, then {@code failure_threshold} rounds of refusals each followed by a real failure. */
  public Future<Void> run(List<Refusal> refusals) {
    assertThat(refusals.stream().map(Refusal::kind).distinct().count()).as("kinds of refusal").isGreaterThanOrEqualTo(8);
    MessageConsumer<JsonObject> transitions = vertx.eventBus().consumer(MeshAddress.EVENTS_BREAKER, msg -> {
      if (breaker.equals(msg.body().getString("service")) && "open".equals(msg.body().getString("state"))) {
        openedAfter.add(realFailuresStarted.get());
      }
    });
    Future<Void> chain = transitions.completion().compose(v -> round(refusals, false));
    for (int i = 1; i <= failureThreshold; i++) {
      chain = chain.compose(v -> round(refusals, true)).compose(v -> {
        realFailuresStarted.incrementAndGet();
        return realFailure.get();
      });
    }
    return chain
      .compose(v -> Poll.until(vertx, "breaker " + breaker + " open", 5_000, () -> Future.succeededFuture(
        !openedAfter.isEmpty())))
      .map(v -> {
        assertThat(openedAfter).as("real failures started when breaker %s opened", breaker)
          .containsExactly(failureThreshold);
        return (Void) null;
      })
      .eventually(transitions::unregister);
  }

  /** Every refusal once, in order; when {@code measured}, each within the bound and nothing else moving. */
  private Future<Void> round(List<Refusal> refusals, boolean measured) {
    return counters().compose(before -> {
      Future<Void> chain = Future.succeededFuture();
      for (Refusal refusal : refusals) {
        chain = chain.compose(v -> refuse(refusal, measured));
      }
      return chain.compose(v -> counters()).compose(after -> {
        if (measured) {
          double depthBefore = before.remove(QUEUE_DEPTH);
          assertThat(after.remove(QUEUE_DEPTH)).as("queue depth across a round of refusals")
            .isLessThanOrEqualTo(depthBefore);
          assertThat(after).as("retry and fallback counters across a round of refusals").isEqualTo(before);
        }
        return node.health();
      }).map(health -> {
        assertThat(health.getJsonObject("circuit_breakers").getString(breaker)).as("breaker %s after %d real "
          + "failure(s) and refusals", breaker, realFailuresStarted.get()).isEqualTo("closed");
        return null;
      });
    });
  }

  private Future<Void> refuse(Refusal refusal, boolean measured) {
    long start = System.nanoTime();
    return Rejection.of(vertx.eventBus().request(refusal.address(), refusal.body())).map(reply -> {
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(reply.failureCode()).as("%s: %s", refusal.kind(), reply.getMessage())
        .isEqualTo(MeshFailure.BAD_REQUEST);
      assertThat(reply.getMessage()).as(refusal.kind()).contains(refusal.mentions());
      if (measured) {
        assertThat(elapsedMillis).as("%s answered in ms", refusal.kind()).isLessThan(REFUSAL_BOUND_MILLIS);
      }
      return null;
    });
  }

  /** The retry and fallback counters of every operation, and the durable queue's depth. */
  private Future<Map<String, Double>> counters() {
    return node.metrics().compose(metrics -> node.health().map(health -> {
      Map<String, Double> values = new java.util.TreeMap<>();
      for (String operation : OPERATIONS) {
        values.put("retries " + operation, TestNode.sample(metrics,
          "retry_attempts_total{operation=\"" + operation + "\"}"));
        values.put("fallbacks " + operation, TestNode.sample(metrics,
          "fallback_invocations_total{operation=\"" + operation + "\"}"));
      }
      values.put(QUEUE_DEPTH, health.getJsonObject("queue").getDouble("depth"));
      return values;
    }));
  }
}
