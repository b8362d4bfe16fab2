package io.meshnode.resilience;

import io.meshnode.contract.MeshFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class DependencyBreakerTest {

  private static final BreakerOptions OPTIONS = new BreakerOptions("redis", 3, 2, Duration.ofMillis(150));

  private Vertx vertx;
  private DependencyBreaker breaker;
  private final List<String> transitions = new ArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();

  @BeforeEach
  void createBreaker(Vertx vertx) {
    this.vertx = vertx;
    breaker = new DependencyBreaker(vertx, OPTIONS, Failures::countsAgainstDependency);
    breaker.onTransition((from, to) -> transitions.add(from.label() + "->" + to.label()));
  }

  private Future<String> fail() {
    return breaker.execute(() -> {
      calls.incrementAndGet();
      return Future.failedFuture(MeshFailure.of(MeshFailure.UNAVAILABLE, "down"));
    });
  }

  private Future<String> succeed() {
    return breaker.execute(() -> {
      calls.incrementAndGet();
      return Future.succeededFuture("ok");
    });
  }

  private Future<Void> failTimes(int n) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < n; i++) {
      chain = chain.compose(v -> fail().otherwiseEmpty().mapEmpty());
    }
    return chain;
  }

  private Future<Void> reach(BreakerState state) {
    Promise<Void> reached = Promise.promise();
    long timer = vertx.setPeriodic(5, id -> {
      if (breaker.state() == state) {
        reached.tryComplete();
      }
    });
    return reached.future().andThen(ar -> vertx.cancelTimer(timer));
  }

  @Test
  void shouldOpenAfterFailureThresholdConsecutiveFailures(VertxTestContext test) {
    failTimes(2)
      .compose(v -> succeed())
      .compose(v -> failTimes(2))
      .onComplete(test.succeeding(v -> test.verify(() -> assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED))))
      .compose(v -> failTimes(1))
      .onComplete(test.succeeding(v -> test.verify(() -> {
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
        assertThat(transitions).containsExactly("closed->open");
        test.completeNow();
      })));
  }

  @Test
  void shouldFailFastWithoutTouchingTheDependencyWhileOpen(VertxTestContext test) {
    failTimes(3).compose(v -> {
      calls.set(0);
      return succeed();
    }).onComplete(test.failing(failure -> test.verify(() -> {
      assertThat(failure).isInstanceOf(BreakerOpenException.class);
      assertThat(calls).hasValue(0);
      test.completeNow();
    })));
  }

  @Test
  void shouldCloseOnlyAfterSuccessThresholdConsecutiveProbes(VertxTestContext test) {
    failTimes(3)
      .compose(v -> reach(BreakerState.HALF_OPEN))
      .compose(v -> succeed())
      .onComplete(test.succeeding(v -> test.verify(() -> assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN))))
      .compose(v -> succeed())
      .onComplete(test.succeeding(v -> test.verify(() -> {
        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(transitions).containsExactly("closed->open", "open->half_open", "half_open->closed");
        test.completeNow();
      })));
  }

  @Test
  void shouldLetAtMostSuccessThresholdProbesThroughInHalfOpen(VertxTestContext test) {
    List<Promise<String>> pending = new ArrayList<>();
    failTimes(3).compose(v -> reach(BreakerState.HALF_OPEN)).onComplete(test.succeeding(v -> {
      calls.set(0);
      List<Future<String>> firstWave = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        firstWave.add(breaker.execute(() -> held(pending)));
      }
      test.verify(() -> assertThat(calls).hasValue(1));
      pending.get(0).complete("ok");
      firstWave.get(0).onComplete(test.succeeding(ok -> {
        for (int i = 0; i < 5; i++) {
          breaker.execute(() -> held(pending));
        }
        test.verify(() -> {
          assertThat(calls).hasValue(OPTIONS.successThreshold());
          assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN);
        });
        pending.get(1).complete("ok");
        reach(BreakerState.CLOSED).onComplete(test.succeedingThenComplete());
      }));
    }));
  }

  private Future<String> held(List<Promise<String>> pending) {
    calls.incrementAndGet();
    Promise<String> promise = Promise.promise();
    pending.add(promise);
    return promise.future();
  }

  @Test
  void shouldReopenWhenAProbeFails(VertxTestContext test) {
    failTimes(3)
      .compose(v -> reach(BreakerState.HALF_OPEN))
      .compose(v -> succeed())
      .compose(v -> fail().otherwiseEmpty())
      .onComplete(test.succeeding(v -> test.verify(() -> {
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
        assertThat(transitions).containsExactly("closed->open", "open->half_open", "half_open->open");
        test.completeNow();
      })));
  }

  @Test
  void shouldNotCountClientErrors(VertxTestContext test) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < 10; i++) {
      chain = chain.compose(v -> breaker.execute(() -> Future.failedFuture(
        MeshFailure.badRequest("key", "must be a non-empty string"))).otherwiseEmpty().mapEmpty());
    }
    chain.onComplete(test.succeeding(v -> test.verify(() -> {
      assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
      assertThat(transitions).isEmpty();
      test.completeNow();
    })));
  }

  @Test
  void shouldNeitherCountNorResetTheConsecutiveFailuresOnTheCallersOrTheNodesErrors(VertxTestContext test) {
    failTimes(1)
      .compose(v -> refuseTimes(3))
      .compose(v -> failTimes(OPTIONS.failureThreshold() - 2))
      .compose(v -> refuseTimes(3))
      .onComplete(test.succeeding(v -> test.verify(() -> assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED))))
      .compose(v -> failTimes(1))
      .onComplete(test.succeeding(v -> test.verify(() -> {
        assertThat(breaker.state()).as("opened at the threshold'th real failure, the refusals between ignored")
          .isEqualTo(BreakerState.OPEN);
        test.completeNow();
      })));
  }

  /** Calls failing with the caller's (400) and the node's (500) errors, alternately. */
  private Future<Void> refuseTimes(int n) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < n; i++) {
      Throwable error = i % 2 == 0 ? MeshFailure.badRequest("key", "WRONGTYPE")
        : MeshFailure.of(MeshFailure.INTERNAL, "redis: NOPERM");
      chain = chain.compose(v -> breaker.execute(() -> Future.failedFuture(error)).otherwiseEmpty().mapEmpty());
    }
    return chain;
  }

  @Test
  void shouldLeaveTheHalfOpenProbeToAProbeWhenACallFromBeforeOpeningFailsLate(VertxTestContext test) {
    List<Promise<String>> pending = new ArrayList<>();
    Future<String> admittedWhileClosed = breaker.execute(() -> held(pending));
    failTimes(3)
      .compose(v -> reach(BreakerState.HALF_OPEN))
      .compose(v -> {
        pending.get(0).fail(MeshFailure.of(MeshFailure.UNAVAILABLE, "down, long ago"));
        return admittedWhileClosed.otherwiseEmpty();
      })
      .onComplete(test.succeeding(v -> test.verify(() ->
        assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN))))
      .compose(v -> succeed())
      .compose(v -> succeed())
      .onComplete(test.succeeding(v -> test.verify(() -> {
        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(transitions).containsExactly("closed->open", "open->half_open", "half_open->closed");
        test.completeNow();
      })));
  }

  @Test
  void shouldResetTheConsecutiveFailuresWhenACallMadeWhileClosedSucceeds(VertxTestContext test) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < 5; i++) {
      chain = chain.compose(v -> failTimes(OPTIONS.failureThreshold() - 1)).compose(v -> succeed().mapEmpty());
    }
    chain.onComplete(test.succeeding(v -> test.verify(() -> {
      assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
      assertThat(calls).hasValue(5 * OPTIONS.failureThreshold());
      test.completeNow();
    })));
  }
}
