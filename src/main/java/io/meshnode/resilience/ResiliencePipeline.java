package io.meshnode.resilience;

import io.meshnode.contract.MeshFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The policies of one route, composed in one order:
 * <pre>fallback( deadline( retry( breaker( attempt ))))</pre>
 * Retries, timeouts and fallbacks are each counted every time and logged at most once per 10 s per operation
 * (the line says how many were not logged), so that an open breaker under load does not flood the log.
 * <ul>
 *   <li>breaker: a refused call fails fast and is never retried;</li>
 *   <li>retry: only retryable failures, at most {@code max_retries} times, waiting the backoff schedule by timers and
 *       never past the deadline (a retry that could not start before it is not made);</li>
 *   <li>deadline: bounds the whole, retries and backoff included; each attempt gets only the time left, and an attempt
 *       still running when the deadline passes fails there with it — so that the breaker counts a dependency that hangs
 *       (frozen, slowed) as failing, even when the attempt is a direct call with no timeout of its own;</li>
 *   <li>fallback: answers whatever failure is left, except client errors and the node's own (500), which go back to
 *       the caller as they are.</li>
 * </ul>
 * Every request is answered: an exception thrown by a policy, the fallback or the attempt becomes a coded 500
 * (logged with its stack, at most once per 10 s per operation), never a lost reply.
 */
public final class ResiliencePipeline {

  private static final Logger LOG = LoggerFactory.getLogger(ResiliencePipeline.class);

  private final Vertx vertx;
  private final Deadlines deadlines;
  private final RouteOptions route;
  private final DependencyBreaker breaker;
  private final Fallback fallback;
  private final ResilienceMetrics.OperationCounters counters;
  private final DoubleSupplier random;
  private final LogThrottle retryLog = new LogThrottle(LogThrottle.DEFAULT_WINDOW_NANOS);
  private final LogThrottle timeoutLog = new LogThrottle(LogThrottle.DEFAULT_WINDOW_NANOS);
  private final LogThrottle fallbackLog = new LogThrottle(LogThrottle.DEFAULT_WINDOW_NANOS);
  private final LogThrottle nodeErrorLog = new LogThrottle(LogThrottle.DEFAULT_WINDOW_NANOS);

  /** A pipeline with deadlines of its own: {@link #execute} must then always be called from one context. */
  public ResiliencePipeline(Vertx vertx, RouteOptions route, DependencyBreaker breaker, Fallback fallback,
                            ResilienceMetrics.OperationCounters counters) {
    this(vertx, new Deadlines(vertx), route, breaker, fallback, counters);
  }

  /** A pipeline whose deadlines are kept by {@code deadlines}, shared by the pipelines used on that one context. */
  public ResiliencePipeline(Vertx vertx, Deadlines deadlines, RouteOptions route, DependencyBreaker breaker,
                            Fallback fallback, ResilienceMetrics.OperationCounters counters) {
    this(vertx, deadlines, route, breaker, fallback, counters, () -> ThreadLocalRandom.current().nextDouble());
  }

  ResiliencePipeline(Vertx vertx, RouteOptions route, DependencyBreaker breaker, Fallback fallback,
                     ResilienceMetrics.OperationCounters counters, DoubleSupplier random) {
    this(vertx, new Deadlines(vertx), route, breaker, fallback, counters, random);
  }

  private ResiliencePipeline(Vertx vertx, Deadlines deadlines, RouteOptions route, DependencyBreaker breaker,
                             Fallback fallback, ResilienceMetrics.OperationCounters counters, DoubleSupplier random) {
    this.vertx = vertx;
    this.deadlines = deadlines;
    this.route = route;
    this.breaker = breaker;
    this.fallback = fallback;
    this.counters = counters;
    this.random = random;
  }

  /** The route this pipeline serves. */
  public RouteOptions route() {
    return route;
  }

  /**
   * Serves {@code request} through the policies.
   *
   * @param timeoutMillis the deadline: the route's timeout, or the caller's when shorter
   */
  public Future<Outcome> execute(JsonObject request, long timeoutMillis, Attempt attempt) {
    return new Execution(request, attempt, timeoutMillis).run();
  }

  private Future<Outcome> recover(JsonObject request, Throwable failure, int attempts) {
    if (Failures.isTimeout(failure)) {
      counters.timeouts().increment();
      timeoutLog.occurred(suppressed -> LOG.warn("timeout: {} on {} after {} attempt(s): {}{}", route.operation(),
        breaker.name(), attempts, failure.getMessage(), alsoSuppressed(suppressed)));
    }
    if (Failures.isClientError(failure)) {
      return Future.failedFuture(Failures.toReply(failure));
    }
    if (Failures.isNodeError(failure)) {
      return Future.failedFuture(nodeError("the attempt", failure));
    }
    if (fallback == null) {
      return Future.failedFuture(withAttempts(Failures.toReply(failure), attempts));
    }
    counters.fallbacks().increment();
    fallbackLog.occurred(suppressed -> LOG.info("fallback: {} on {} answered by its fallback after: {}{}",
      route.operation(), breaker.name(), failure.getMessage(), alsoSuppressed(suppressed)));
    Future<JsonObject> answer;
    try {
      answer = fallback.apply(route.address(), request, failure);
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    return answer.map(body -> new Outcome(body, true, attempts)).recover(fallbackFailure -> Future.failedFuture(
      Failures.isNodeError(fallbackFailure) ? nodeError("the fallback", fallbackFailure)
        : withAttempts(unanswered(failure, fallbackFailure), attempts)));
  }

  /**
   * The 500 a caller gets for the node's own error; an exception (not a coded failure, whose verticle logged it) is
   * logged with its stack.
   */
  private ReplyException nodeError(String where, Throwable failure) {
    if (!(failure instanceof ReplyException)) {
      nodeErrorLog.occurred(suppressed -> LOG.error("internal error: {} of {} on {} threw{}", where,
        route.operation(), breaker.name(), alsoSuppressed(suppressed), failure));
    }
    return Failures.toReply(failure);
  }

  private static String alsoSuppressed(long suppressed) {
    return suppressed == 0 ? "" : " (and " + suppressed + " more since the last such line)";
  }

  /** Failures cannot carry the mesh-attempts header, so the message says it. */
  private static ReplyException withAttempts(ReplyException failure, int attempts) {
    return MeshFailure.of(failure.failureCode(), failure.getMessage() + " (attempts: " + attempts + ")");
  }

  /**
   * A fallback that cannot answer (503: nothing cached, no fallback for writes) leaves the primary's failure to
   * report, so that a timeout stays a 504; other fallback failures (507 queue full, 500) are reported as they are.
   */
  private static ReplyException unanswered(Throwable primary, Throwable fallbackFailure) {
    ReplyException fromFallback = Failures.toReply(fallbackFailure);
    if (fromFallback.failureCode() != MeshFailure.UNAVAILABLE) {
      return fromFallback;
    }
    return MeshFailure.of(Failures.toReply(primary).failureCode(), fromFallback.getMessage());
  }

  /**
   * One request's deadline and retry state. The primary outcome is settled once — by an attempt, or by the deadline,
   * whichever comes first — and then completes the one future the caller holds, through the fallback if need be.
   */
  private final class Execution {
    private final JsonObject request;
    private final Attempt attempt;
    private final long timeoutMillis;
    private final long deadlineNanos;
    private final Promise<Outcome> outcome = Promise.promise();
    private Deadlines.Deadline deadline;
    private boolean settled;
    private int attempts;
    private long retryTimer = -1;
    /** The attempt the breaker is waiting for; failed by the deadline if it is still running then. */
    private Promise<JsonObject> inFlight;

    Execution(JsonObject request, Attempt attempt, long timeoutMillis) {
      this.request = request;
      this.attempt = attempt;
      this.timeoutMillis = timeoutMillis;
      this.deadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000;
    }

    Future<Outcome> run() {
      deadline = deadlines.schedule(timeoutMillis, () -> {
        DeadlineExceededException exceeded = deadlineExceeded();
        Promise<JsonObject> running = inFlight;
        fail(exceeded);
        if (running != null) {
          running.tryFail(exceeded);
        }
      });
      try {
        tryOnce();
      } catch (RuntimeException e) {
        fail(e);
      }
      return outcome.future();
    }

    private void succeed(JsonObject body) {
      if (settle()) {
        if (fallback != null) {
          try {
            fallback.onPrimarySuccess(route.address(), request, body);
          } catch (RuntimeException e) {
            nodeError("the fallback's observer", e); // the primary's reply stands
          }
        }
        outcome.complete(new Outcome(body, false, attempts));
      }
    }

    private void fail(Throwable failure) {
      if (settle()) {
        Future<Outcome> recovered;
        try {
          recovered = recover(request, failure, attempts);
        } catch (RuntimeException e) {
          recovered = Future.failedFuture(nodeError("a policy", e));
        }
        recovered.onComplete(outcome);
      }
    }

    /** True the first time only: stops the deadline and any retry timer. */
    private boolean settle() {
      if (settled) {
        return false;
      }
      settled = true;
      inFlight = null;
      deadline.cancel();
      if (retryTimer != -1) {
        vertx.cancelTimer(retryTimer);
      }
      return true;
    }

    private void tryOnce() {
      retryTimer = -1;
      if (settled) {
        return;
      }
      long remaining = remainingMillis();
      if (remaining <= 0) {
        fail(deadlineExceeded());
        return;
      }
      breaker.execute(() -> {
        attempts++;
        Promise<JsonObject> bounded = Promise.promise();
        inFlight = bounded;
        attempt.call(remaining).onComplete((body, failure) -> {
          if (failure == null) {
            bounded.tryComplete(body);
          } else {
            bounded.tryFail(failure);
          }
        });
        return bounded.future();
      }).onComplete((body, failure) -> {
        if (failure == null) {
          succeed(body);
        } else {
          retryOrFail(failure);
        }
      });
    }

    private void retryLater(long delay) {
      retryTimer = vertx.setTimer(delay, id -> {
        try {
          tryOnce();
        } catch (RuntimeException e) {
          fail(e);
        }
      });
    }

    private void retryOrFail(Throwable failure) {
      if (settled) {
        return;
      }
      if (!Failures.isRetryable(failure) || attempts > route.retry().maxRetries()) {
        fail(failure);
        return;
      }
      long delay = route.retry().delayMillis(attempts, random);
      if (delay >= remainingMillis()) {
        fail(failure);
        return;
      }
      counters.retries().increment();
      retryLog.occurred(suppressed -> LOG.info("retry: {} on {}, retry {} of {} in {} ms after: {}{}",
        route.operation(), breaker.name(), attempts, route.retry().maxRetries(), delay, failure.getMessage(),
        alsoSuppressed(suppressed)));
      retryLater(delay);
    }

    private long remainingMillis() {
      return (deadlineNanos - System.nanoTime()) / 1_000_000;
    }

    private DeadlineExceededException deadlineExceeded() {
      return new DeadlineExceededException(route.operation(), timeoutMillis);
    }
  }
}
