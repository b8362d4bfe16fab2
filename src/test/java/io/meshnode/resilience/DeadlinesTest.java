package io.meshnode.resilience;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One Vert.x timer for every deadline of a context: each still fires at its time, unless cancelled. */
@ExtendWith(VertxExtension.class)
class DeadlinesTest {

  private Context context;
  private Deadlines deadlines;

  @BeforeEach
  void setUp(Vertx vertx) {
    context = vertx.getOrCreateContext();
    deadlines = new Deadlines(vertx);
  }

  @Test
  @DisplayName("a deadline fires on its context, not before its time")
  void shouldFireNotBeforeItsTime(VertxTestContext test) {
    context.runOnContext(v -> {
      long start = System.nanoTime();
      deadlines.schedule(30, () -> test.verify(() -> {
        assertThat(Vertx.currentContext()).isSameAs(context);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(30_000_000L);
        assertThat(deadlines.pending()).isZero();
        test.completeNow();
      }));
    });
  }

  @Test
  @DisplayName("a cancelled deadline never fires; the others around it do, in time order")
  void shouldNotFireCancelledDeadlines(VertxTestContext test) {
    List<String> fired = new ArrayList<>();
    context.runOnContext(v -> {
      deadlines.schedule(20, () -> fired.add("first"));
      Deadlines.Deadline cancelled = deadlines.schedule(20, () -> fired.add("cancelled"));
      deadlines.schedule(20, () -> fired.add("third"));
      deadlines.schedule(40, () -> test.verify(() -> {
        assertThat(fired).containsExactly("first", "third");
        test.completeNow();
      }));
      cancelled.cancel();
      cancelled.cancel();
    });
  }

  @Test
  @DisplayName("one timer serves many deadlines of the same delay")
  void shouldArmOneTimerForDeadlinesOfOneDelay(VertxTestContext test) {
    Checkpoint expired = test.checkpoint(100);
    context.runOnContext(v -> {
      for (int i = 0; i < 1_000; i++) {
        Deadlines.Deadline deadline = deadlines.schedule(25, expired::flag);
        if (i % 10 != 0) {
          deadline.cancel();
        }
      }
      test.verify(() -> {
        assertThat(deadlines.timersArmed()).isEqualTo(1);
        assertThat(deadlines.pending()).isEqualTo(100);
      });
    });
  }

  @Test
  @DisplayName("a shorter deadline scheduled after a longer one fires first, at its own time")
  void shouldFireAShorterDeadlineScheduledLaterFirst(VertxTestContext test) {
    List<String> fired = new ArrayList<>();
    context.runOnContext(v -> {
      long start = System.nanoTime();
      deadlines.schedule(300, () -> test.verify(() -> {
        assertThat(fired).containsExactly("short");
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(300_000_000L);
        test.completeNow();
      }));
      deadlines.schedule(20, () -> test.verify(() -> {
        long elapsed = System.nanoTime() - start;
        assertThat(elapsed).isBetween(20_000_000L, 250_000_000L);
        fired.add("short");
      }));
    });
  }

  @Test
  @DisplayName("a deadline scheduled from an expiring one, or after all were cancelled, still fires")
  void shouldKeepFiringAfterExpiriesAndCancellations(VertxTestContext test) {
    context.runOnContext(v -> {
      deadlines.schedule(10, () -> deadlines.schedule(10, () -> {
        deadlines.schedule(50, () -> test.failNow("cancelled, must not fire")).cancel();
        deadlines.schedule(15, test::completeNow);
      }));
    });
  }
}
