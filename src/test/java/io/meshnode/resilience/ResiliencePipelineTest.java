package io.meshnode.resilience;

import io.meshnode.contract.MeshFailure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** fallback( deadline( retry( breaker( attempt )))), one step at a time, against stand-in attempts. */
@ExtendWith(VertxExtension.class)
class ResiliencePipelineTest {

  private static final JsonObject REQUEST = new JsonObject().put("key", "k");
  private static final JsonObject OK = new JsonObject().put("value", "v");

  private Vertx vertx;
  private SimpleMeterRegistry registry;
  private ResilienceMetrics.OperationCounters counters;
  private final AtomicInteger attempts = new AtomicInteger();
  private final AtomicInteger fallbacks = new AtomicInteger();

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    registry = new SimpleMeterRegistry();
    counters = new ResilienceMetrics(registry).operation("cache_read");
  }

  private ResiliencePipeline pipeline(int failureThreshold, int maxRetries, long initialDelayMillis, boolean fallback) {
    BreakerOptions breakerOptions = new BreakerOptions("redis", failureThreshold, 2, Duration.ofSeconds(30));
    RetryOptions retry = new RetryOptions("redis", maxRetries, Duration.ofMillis(initialDelayMillis), 2.0,
      Duration.ofSeconds(5), 0.0);
    RouteOptions route = new RouteOptions("mesh.redis.get", "cache_read", breakerOptions, retry,
      Duration.ofSeconds(5), fallback ? "cache" : null);
    Fallback stale = (address, request, cause) -> {
      fallbacks.incrementAndGet();
      return Future.succeededFuture(new JsonObject().put("value", "from-memory"));
    };
    return new ResiliencePipeline(vertx, route,
      new DependencyBreaker(vertx, breakerOptions, Failures::countsAgainstDependency),
      fallback ? stale : null, counters, () -> 0.5);
  }

  private Attempt failingTimes(int failures, ReplyException failure) {
    return remaining -> attempts.incrementAndGet() <= failures ? Future.failedFuture(failure)
      : Future.succeededFuture(OK);
  }

  private static ReplyException unavailable() {
    return MeshFailure.of(MeshFailure.UNAVAILABLE, "redis: connection refused");
  }

  @Test
  @DisplayName("retry: retryable failures are retried until the attempt succeeds")
  void shouldRetryRetryableFailures(VertxTestContext test) {
    pipeline(10, 3, 5, false).execute(REQUEST, 5_000, failingTimes(2, unavailable()))
      .onComplete(test.succeeding(outcome -> test.verify(() -> {
        assertThat(outcome).isEqualTo(new Outcome(OK, false, 3));
        assertThat(counters.retries().count()).isEqualTo(2);
        test.completeNow();
      })));
  }

  @Test
  @DisplayName("retry: client errors are answered at once, never retried, never given to the fallback")
  void shouldNotRetryClientErrors(VertxTestContext test) {
    pipeline(10, 3, 5, true).execute(REQUEST, 5_000, failingTimes(9, MeshFailure.badRequest("key", "is bad")))
      .onComplete(test.failing(failure -> test.verify(() -> {
        assertThat(((ReplyException) failure).failureCode()).isEqualTo(MeshFailure.BAD_REQUEST);
        assertThat(attempts).hasValue(1);
        assertThat(fallbacks).hasValue(0);
        test.completeNow();
      })));
  }

  @Test
  @DisplayName("retry: gives up after max_retries with 503 when there is no fallback")
  void shouldGiveUpAfterMaxRetries(VertxTestContext test) {
    pipeline(10, 2, 5, false).execute(REQUEST, 5_000, failingTimes(99, unavailable()))
      .onComplete(test.failing(failure -> test.verify(() -> {
        assertThat(((ReplyException) failure).failureCode()).isEqualTo(MeshFailure.UNAVAILABLE);
        assertThat(failure.getMessage()).endsWith("(attempts: 3)");
        assertThat(attempts).hasValue(3);
        test.completeNow();
      })));
  }

  @Test
  @DisplayName("deadline: bounds retries and backoff; no retry starts that could not finish before it")
  void shouldBoundRetriesByTheDeadline(VertxTestContext test) {
    long start = System.nanoTime();
    pipeline(99, 10, 100, false).execute(REQUEST, 250, failingTimes(99, unavailable()))
      .onComplete(test.failing(failure -> test.verify(() -> {
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        // attempts at 0 ms and 100 ms; the next retry would wait 200 ms, past the 250 ms deadline, so it is not
        // made (ten retries would take seconds); the bound leaves room for a loaded machine's late timers
        assertThat(attempts).hasValue(2);
        assertThat(elapsedMillis).isLessThan(1_000);
        test.completeNow();
      })));
  }

  @Test
  @DisplayName("deadline: a hanging attempt is cut at the deadline with 504 and counted as a timeout")
  void shouldTimeOutAHangingAttempt(VertxTestContext test) {
    Promise<JsonObject> never = Promise.promise();
    pipeline(99, 3, 5, false).execute(REQUEST, 100, remaining -> {
        attempts.incrementAndGet();
        test.verify(() -> assertThat(remaining).isBetween(1L, 100L));
        return never.future();
      })
      .onComplete(test.failing(failure -> test.verify(() -> {
        assertThat(((ReplyException) failure).failureCode()).isEqualTo(MeshFailure.DEADLINE_EXCEEDED);
        assertThat(counters.timeouts().count()).isEqualTo(1);
        assertThat(attempts).hasValue(1);
        test.completeNow();
      })));
  }

  @Test
  @DisplayName("deadline: an attempt still hanging at the deadline fails the breaker, so a frozen dependency opens it")
  void shouldCountAHangingAttemptAgainstTheBreaker(VertxTestContext test) {
    Promise<JsonObject> never = Promise.promise();
    ResiliencePipeline pipeline = pipeline(2, 0, 5, false);
    Attempt hanging = remaining -> {
      attempts.incrementAndGet();
      return never.future();
    };
    // vertx-circuit-breaker records a failure on its context's next turn: the next request follows a little later
    pipeline.execute(REQUEST, 50, hanging).otherwiseEmpty().compose(v -> vertx.timer(10))
      .compose(v -> pipeline.execute(REQUEST, 50, hanging)).otherwiseEmpty().compose(v -> vertx.timer(10))
      .compose(v -> pipeline.execute(REQUEST, 50, hanging))
      .onComplete(test.failing(failure -> test.verify(() -> {
        assertThat(((ReplyException) failure).failureCode()).as(failure.getMessage() + " attempts " + attempts).isEqualTo(MeshFailure.UNAVAILABLE);
        assertThat(failure.getMessage()).contains("open");
        assertThat(attempts).as("the third request fails fast: the two hanging ones opened the breaker").hasValue(2);
        test.completeNow();
      })));
  }

  @Test
  @DisplayName("fallback: answers when retries are exhausted, and is counted")
  void shouldFallBackWhenRetriesAreExhausted(VertxTestContext test) {
    pipeline(99, 1, 5, true).execute(REQUEST, 5_000, failingTimes(99, unavailable()))
      .onComplete(test.succeeding(outcome -> test.verify(() -> {
        assertThat(outcome.fromFallback()).isTrue();
        assertThat(outcome.attempts()).isEqualTo(2);
        assertThat(outcome.body().getString("value")).isEqualTo("from-memory");
        assertThat(counters.fallbacks().count()).isEqualTo(1);
        test.completeNow();
      })));
  }

  @Test
  @DisplayName("breaker: once open, the retry is refused and the fallback answers without another attempt")
  void shouldNotRetryWhenTheBreakerOpens(VertxTestContext test) {
    pipeline(1, 3, 5, true).execute(REQUEST, 5_000, failingTimes(99, unavailable()))
      .onComplete(test.succeeding(outcome -> test.verify(() -> {
        assertThat(attempts).hasValue(1);
        assertThat(outcome.fromFallback()).isTrue();
        assertThat(outcome.attempts()).isEqualTo(1);
        test.completeNow();
      })));
  }

  @Test
  @DisplayName("breaker: open fails fast with 503 and zero attempts when there is no fallback")
  void shouldFailFastWithZeroAttemptsWhenOpen(VertxTestContext test) {
    ResiliencePipeline pipeline = pipeline(1, 0, 5, false);
    pipeline.execute(REQUEST, 5_000, failingTimes(99, unavailable())).otherwiseEmpty()
      .compose(v -> pipeline.execute(REQUEST, 5_000, failingTimes(99, unavailable())))
      .onComplete(test.failing(failure -> test.verify(() -> {
        assertThat(((ReplyException) failure).failureCode()).isEqualTo(MeshFailure.UNAVAILABLE);
        assertThat(failure.getMessage()).contains("open");
        assertThat(attempts).hasValue(1);
        test.completeNow();
      })));
  }

  private ResiliencePipeline withFallback(Fallback fallback) {
    BreakerOptions breakerOptions = new BreakerOptions("redis", 99, 2, Duration.ofSeconds(30));
    RetryOptions retry = new RetryOptions("redis", 2, Duration.ofMillis(5), 2.0, Duration.ofSeconds(5), 0.0);
    RouteOptions route = new RouteOptions("mesh.redis.set", "cache_write", breakerOptions, retry,
      Duration.ofSeconds(5), "cache");
    return new ResiliencePipeline(vertx, route,
      new DependencyBreaker(vertx, breakerOptions, Failures::countsAgainstDependency), fallback, counters, () -> 0.5);
  }

  @Test
  @DisplayName("every request answered: a fallback that throws becomes a coded 500, not a lost reply")
  void shouldAnswer500WhenTheFallbackThrows(VertxTestContext test) {
    Fallback throwing = (address, request, cause) -> {
      throw new ArithmeticException("long overflow");
    };
    withFallback(throwing).execute(REQUEST, 5_000, failingTimes(99, unavailable()))
      .onComplete(test.failing(failure -> test.verify(() -> {
        assertThat(((ReplyException) failure).failureCode()).isEqualTo(MeshFailure.INTERNAL);
        assertThat(failure.getMessage()).contains("long overflow");
        test.completeNow();
      })));
  }

  @Test
  @DisplayName("every request answered: an attempt that throws is a 500, neither retried nor given to the fallback")
  void shouldAnswer500WhenTheAttemptThrows(VertxTestContext test) {
    pipeline(10, 3, 5, true).execute(REQUEST, 5_000, remaining -> {
        attempts.incrementAndGet();
        throw new IllegalStateException("a bug in the data verticle");
      })
      .onComplete(test.failing(failure -> test.verify(() -> {
        assertThat(((ReplyException) failure).failureCode()).isEqualTo(MeshFailure.INTERNAL);
        assertThat(attempts).hasValue(1);
        assertThat(fallbacks).hasValue(0);
        assertThat(counters.retries().count()).isZero();
        test.completeNow();
      })));
  }

  @Test
  @DisplayName("every request answered: a fallback whose observer throws leaves the primary's reply standing")
  void shouldKeepThePrimarysReplyWhenTheObserverThrows(VertxTestContext test) {
    Fallback observerThrows = new Fallback() {
      @Override
      public Future<JsonObject> apply(String address, JsonObject request, Throwable cause) {
        return Future.failedFuture(cause);
      }

      @Override
      public void onPrimarySuccess(String address, JsonObject request, JsonObject reply) {
        throw new ArithmeticException("long overflow");
      }
    };
    withFallback(observerThrows).execute(REQUEST, 5_000, failingTimes(0, unavailable()))
      .onComplete(test.succeeding(outcome -> test.verify(() -> {
        assertThat(outcome).isEqualTo(new Outcome(OK, false, 1));
        test.completeNow();
      })));
  }
}
