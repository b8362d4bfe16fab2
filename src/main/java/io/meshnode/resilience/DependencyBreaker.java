package io.meshnode.resilience;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The breaker of one dependency: vertx-circuit-breaker with the spec's {@code success_threshold} on top.
 *
 * <p>vertx-circuit-breaker opens after {@code maxFailures} failures (consecutive here, since every success resets its
 * count), fails fast for {@code resetTimeout}, then lets one probe through and closes on its first success. This class
 * keeps the state HALF_OPEN after that first success (the probation) and lets at most {@code success_threshold}
 * probes through in all; it reports CLOSED only after {@code success_threshold} consecutive successful probes, and
 * reopens the underlying breaker on any probe failure. Failures that {@code countsAsFailure} rejects (the caller's
 * and the node's own) pass through without moving it: while closed they neither count nor reset the consecutive
 * failures; as a half-open probe they show that the dependency answered, and count as the probe's success.
 *
 * <p>While vertx's breaker is closed, calls are made directly and their outcomes reported to it before the caller
 * sees them ({@link #executeClosed}); a failure that arrives after it opened, from a call admitted before, is not
 * counted, so it can neither take nor fail the half-open probe.
 */
public final class DependencyBreaker {

  /** Consecutive failures older than this no longer count: keeps vertx's rolling window small but meaningful. */
  private static final long FAILURE_WINDOW_MILLIS = 3_600_000;

  private final BreakerOptions options;
  private final CircuitBreaker delegate;
  private final Predicate<Throwable> countsAsFailure;
  private final BreakerOpenException rejection;
  private final List<BiConsumer<BreakerState, BreakerState>> listeners = new CopyOnWriteArrayList<>();
  private BreakerState state = BreakerState.CLOSED;
  private boolean probation;
  private int probesInFlight;
  private int probeSuccesses;

  public DependencyBreaker(Vertx vertx, BreakerOptions options, Predicate<Throwable> countsAsFailure) {
    this.options = options;
    this.countsAsFailure = countsAsFailure;
    this.rejection = new BreakerOpenException(options.name());
    this.delegate = CircuitBreaker.create(options.name(), vertx, new CircuitBreakerOptions()
        .setMaxFailures(options.failureThreshold())
        .setResetTimeout(options.openTimeout().toMillis())
        .setTimeout(-1)
        .setMaxRetries(0)
        .setFailuresRollingWindow(FAILURE_WINDOW_MILLIS)
        .setNotificationAddress(null))
      .failurePolicy(ar -> ar.failed() && countsAsFailure.test(ar.cause()))
      .openHandler(v -> onDelegateOpen())
      .halfOpenHandler(v -> moveTo(BreakerState.HALF_OPEN))
      .closeHandler(v -> onFirstProbeSuccess());
  }

  /** The dependency name. */
  public String name() {
    return options.name();
  }

  /** The current state. */
  public synchronized BreakerState state() {
    return state;
  }

  /** Called with {@code (previous, current)} on every transition, on the thread that caused it. */
  public void onTransition(BiConsumer<BreakerState, BreakerState> listener) {
    listeners.add(listener);
  }

  /**
   * Runs {@code call} unless the breaker refuses it; a refused call fails with {@link BreakerOpenException} without
   * {@code call} being invoked.
   */
  public <T> Future<T> execute(Supplier<Future<T>> call) {
    switch (admit()) {
      case REFUSE:
        return Future.failedFuture(rejection);
      case PROBE:
        return delegate.execute(call)
          .andThen(ar -> probationProbeDone(ar.succeeded() || !countsAsFailure.test(ar.cause())));
      default:
        if (delegate.state() == CircuitBreakerState.CLOSED) {
          return executeClosed(call);
        }
        return delegate.execute(call).recover(this::translateRejection);
    }
  }

  /**
   * A call admitted while vertx's breaker is closed: made directly, its outcome then reported to that breaker just
   * as its own closed-state completion would, before the caller sees it (a success resets the consecutive failures;
   * a counted failure is counted, and may open it; a failure that does not count changes nothing). This skips what
   * vertx-circuit-breaker adds per call — two promises, a task queued on the context for the completion, a recover
   * stage — on the hot path, without taking any decision from it: opening, the reset timeout and the half-open probe
   * stay vertx's.
   */
  private <T> Future<T> executeClosed(Supplier<Future<T>> call) {
    Future<T> result;
    try {
      result = call.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    Promise<T> reported = Promise.promise();
    result.onComplete((value, failure) -> {
      if (failure == null) {
        delegate.reset();
        reported.complete(value);
      } else if (!countsAsFailure.test(failure)) {
        reported.fail(failure);
      } else {
        countFailure(failure).onComplete(counted -> reported.fail(failure));
      }
    });
    return reported.future();
  }

  /**
   * Counts a failure of a call made while closed. vertx's breaker takes failures only through {@code execute}, so the
   * failure is replayed through it while it is still closed; once it has opened, a late failure changes nothing.
   */
  private Future<?> countFailure(Throwable failure) {
    if (delegate.state() != CircuitBreakerState.CLOSED) {
      return Future.succeededFuture();
    }
    return delegate.execute(() -> Future.failedFuture(failure));
  }

  /** Stops the breaker's timers. */
  public void close() {
    delegate.close();
  }

  private <T> Future<T> translateRejection(Throwable failure) {
    return Future.failedFuture(failure instanceof OpenCircuitException ? rejection : failure);
  }

  private enum Admission { DELEGATE, PROBE, REFUSE }

  /** Outside probation vertx decides; in probation at most success_threshold probes pass in all. */
  private synchronized Admission admit() {
    if (!probation) {
      return Admission.DELEGATE;
    }
    if (probesInFlight + probeSuccesses >= options.successThreshold()) {
      return Admission.REFUSE;
    }
    probesInFlight++;
    return Admission.PROBE;
  }

  private void probationProbeDone(boolean success) {
    boolean reopen = false;
    synchronized (this) {
      if (!probation) {
        return;
      }
      probesInFlight--;
      if (!success) {
        probation = false;
        reopen = true;
      } else if (++probeSuccesses >= options.successThreshold()) {
        probation = false;
      }
    }
    if (reopen) {
      delegate.open();
    } else if (state() == BreakerState.HALF_OPEN && !isInProbation()) {
      moveTo(BreakerState.CLOSED);
    }
  }

  private synchronized boolean isInProbation() {
    return probation;
  }

  private void onDelegateOpen() {
    synchronized (this) {
      probation = false;
    }
    moveTo(BreakerState.OPEN);
  }

  private void onFirstProbeSuccess() {
    synchronized (this) {
      if (options.successThreshold() > 1) {
        probation = true;
        probeSuccesses = 1;
        probesInFlight = 0;
        return;
      }
    }
    moveTo(BreakerState.CLOSED);
  }

  private void moveTo(BreakerState next) {
    BreakerState previous;
    synchronized (this) {
      previous = state;
      if (previous == next) {
        return;
      }
      state = next;
    }
    listeners.forEach(listener -> listener.accept(previous, next));
  }

}
