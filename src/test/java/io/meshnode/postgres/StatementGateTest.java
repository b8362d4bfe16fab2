package io.meshnode.postgres;

import io.meshnode.contract.MeshFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.ReplyException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** How many statements reach the client at once, and what becomes of those that wait. */
class StatementGateTest {

  private static final long MAX_WAIT_MILLIS = 1_000;

  private final AtomicLong nanos = new AtomicLong(7_000_000_000L);
  private final StatementGate gate = new StatementGate(2, 3, MAX_WAIT_MILLIS, nanos::get);
  private final List<Promise<String>> started = new ArrayList<>();

  /** What the PostgreSQL verticle does with a statement: run it with a place, giving the place back once done. */
  private Future<String> submit() {
    return submit(gate);
  }

  private Future<String> submit(StatementGate on) {
    if (on.admit()) {
      return run(on);
    }
    return on.turn().compose(place -> run(on));
  }

  private Future<String> run(StatementGate on) {
    Promise<String> statement = Promise.promise();
    started.add(statement);
    return statement.future().andThen(ar -> on.done());
  }

  private void advanceMillis(long millis) {
    nanos.addAndGet(millis * 1_000_000L);
  }

  @Test
  void shouldRunStatementsAtOnceUpToItsCapacityAndHoldTheRest() {
    Future<String> first = submit();
    submit();
    Future<String> third = submit();

    assertThat(started).hasSize(2);
    assertThat(gate.running()).isEqualTo(2);
    assertThat(gate.waiting()).isEqualTo(1);

    started.get(0).complete("one");
    assertThat(first.result()).isEqualTo("one");
    assertThat(started).as("the freed place went to the held statement").hasSize(3);
    started.get(2).complete("three");
    assertThat(third.result()).isEqualTo("three");
  }

  @Test
  void shouldRunHeldStatementsInTheOrderTheyCame() {
    submit();
    submit();
    Future<String> third = submit();
    Future<String> fourth = submit();

    started.get(1).fail("dependency error");
    started.get(0).complete("one");
    started.get(2).complete("three");
    started.get(3).complete("four");

    assertThat(third.result()).isEqualTo("three");
    assertThat(fourth.result()).isEqualTo("four");
  }

  @Test
  void shouldFailAStatementHeldLongerThanTheBoundWithoutRunningIt() {
    submit();
    submit();
    Future<String> late = submit();
    advanceMillis(MAX_WAIT_MILLIS + 1);
    Future<String> fresh = submit();

    gate.expire();

    assertThat(late.failed()).isTrue();
    assertThat(((ReplyException) late.cause()).failureCode()).isEqualTo(MeshFailure.UNAVAILABLE);
    assertThat(late.cause()).hasMessageContaining("no connection within 1000 ms");
    assertThat(fresh.isComplete()).isFalse();
    started.get(0).complete("one");
    assertThat(started).as("only the fresh one ran").hasSize(3);
  }

  @Test
  void shouldDropAnExpiredStatementWhenAPlaceFreesBeforeTheSweep() {
    submit();
    submit();
    Future<String> late = submit();
    advanceMillis(MAX_WAIT_MILLIS + 1);

    started.get(0).complete("one");

    assertThat(late.failed()).isTrue();
    assertThat(started).hasSize(2);
    assertThat(gate.running()).isEqualTo(1);
  }

  @Test
  void shouldRefuseAStatementAtOnceWhenAsManyAsAllowedAlreadyWait() {
    submit();
    submit();
    submit();
    submit();
    submit();

    Future<String> refused = submit();

    assertThat(refused.failed()).isTrue();
    assertThat(((ReplyException) refused.cause()).failureCode()).isEqualTo(MeshFailure.UNAVAILABLE);
    assertThat(gate.waiting()).isEqualTo(3);
  }

  @Test
  void shouldFailTheHeldStatementsUnrunWhenClosed() {
    submit();
    submit();
    Future<String> held = submit();

    gate.close("closing");
    started.get(0).complete("one");

    assertThat(held.failed()).isTrue();
    assertThat(held.cause()).hasMessage("closing");
    assertThat(started).hasSize(2);
  }

  @Test
  void shouldGiveFreedPlacesToHeldStatementsThatFailAtOnceWithoutRecursing() {
    StatementGate small = new StatementGate(1, 10_000, MAX_WAIT_MILLIS, nanos::get);
    assertThat(small.admit()).isTrue();
    List<Future<Void>> failing = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      failing.add(small.turn().compose(place -> {
        small.done();
        return Future.failedFuture("client closed");
      }));
    }

    small.done();

    assertThat(failing).allMatch(Future::failed);
    assertThat(small.running()).isZero();
    assertThat(small.waiting()).isZero();
    assertThat(small.admit()).as("every place came back").isTrue();
  }
}
