package io.meshnode.bench;

import io.meshnode.redis.InMemoryCacheFallback;
import io.meshnode.resilience.Attempt;
import io.meshnode.resilience.BreakerOptions;
import io.meshnode.resilience.DependencyBreaker;
import io.meshnode.resilience.Failures;
import io.meshnode.resilience.ResilienceMetrics;
import io.meshnode.resilience.ResiliencePipeline;
import io.meshnode.resilience.RetryOptions;
import io.meshnode.resilience.RouteOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The in-process cost of {@link ResiliencePipeline#execute} with an attempt that completes at once: the breaker,
 * retry and deadline bookkeeping of one request (target ≤ 2 µs), with the {@code mesh.redis.get} route's shipped
 * values. Requests run where the node runs them, on a Vert.x event loop: each invocation hands one batch of
 * {@value #BATCH} requests to the loop and waits for all of them to complete, so the hand-off is shared by the batch.
 *
 * <p>{@code fallback=none} measures breaker + retry + deadline alone; {@code fallback=cache} adds the shipped route's
 * in-memory cache fallback, which every successful read keeps warm.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PipelineBench {

  static final int BATCH = 1000;

  @Param({"none", "cache"})
  public String fallback;

  private Vertx vertx;
  private Context context;
  private ResiliencePipeline pipeline;
  private JsonObject request;
  private Attempt attempt;

  @Setup
  public void setUp() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    BreakerOptions breakerOptions = new BreakerOptions("redis", 3, 2, Duration.ofSeconds(30));
    RouteOptions route = new RouteOptions("mesh.redis.get", "cache_read", breakerOptions,
      new RetryOptions("redis", 2, Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), 0.0),
      Duration.ofSeconds(5), fallback.equals("cache") ? "cache" : null);
    DependencyBreaker breaker = new DependencyBreaker(vertx, breakerOptions, Failures::countsAgainstDependency);
    pipeline = new ResiliencePipeline(vertx, route, breaker,
      fallback.equals("cache") ? new InMemoryCacheFallback(10_000, Duration.ofMinutes(5)) : null,
      new ResilienceMetrics(new SimpleMeterRegistry()).operation("cache_read"));
    request = new JsonObject().put("key", "k");
    JsonObject reply = new JsonObject().put("key", "k").put("value", "v");
    attempt = remaining -> Future.succeededFuture(reply);
  }

  @TearDown
  public void tearDown() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int execute() throws Exception {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      int[] left = {BATCH};
      int[] attempts = {0};
      for (int i = 0; i < BATCH; i++) {
        pipeline.execute(request, 5_000, attempt).onComplete(ar -> {
          attempts[0] += ar.succeeded() ? ar.result().attempts() : 0;
          if (--left[0] == 0) {
            done.complete(attempts[0]);
          }
        });
      }
    });
    return done.get(10, TimeUnit.SECONDS);
  }
}
