package io.meshnode.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import org.HdrHistogram.Histogram;

import java.util.function.Supplier;

/**
 * The load generator: a verticle that keeps {@code inflight} operations outstanding from its own event loop (a
 * closed loop: each completion issues the next), for a bounded time and a bounded count, and records every
 * completion's latency in microseconds. Completions that arrive on another thread are handed back to this
 * verticle's context first, so the counters and the histogram are only ever touched by one thread.
 */
final class ClosedLoop extends VerticleBase {

  /** Longest latency the histograms track: one minute, in microseconds. */
  private static final long MAX_MICROS = 60_000_000L;
  /** How long a pass waits for its last operations after its time is up. */
  private static final long DRAIN_MILLIS = 35_000;

  private final CpuClock cpu = new CpuClock();

  /** The CPU clock of this driver's passes: {@link CpuClock#alsoCount} adds a dependency's process to it. */
  CpuClock cpu() {
    return cpu;
  }

  /** Deploys a driver on {@code vertx}; it gets its own event loop. */
  static ClosedLoop deploy(Vertx vertx) {
    ClosedLoop loop = new ClosedLoop();
    Wait.on(vertx.deployVerticle(loop), "deploy the load driver");
    return loop;
  }

  /**
   * A driver on another event loop than the node's resilience verticle, as an application's verticle calling the
   * node would usually be: Vert.x places verticles round-robin, so sharing the node's loop would be chance, and it
   * hides the hand-off (1-in-flight latency) while halving the loops doing the work (throughput).
   */
  static ClosedLoop deployAwayFrom(MeshNode node) {
    String nodeThread = Placement.threadServing(node, io.meshnode.contract.MeshAddress.STATUS_SNAPSHOT);
    for (int attempt = 0; attempt < 16; attempt++) {
      ClosedLoop loop = deploy(node.vertx());
      String driverThread = loop.onLoop("name the driver's thread",
        () -> Future.succeededFuture(Thread.currentThread().getName()));
      if (!driverThread.equals(nodeThread)) {
        return loop;
      }
      // the next deployment goes to the next event loop; keep this one idle rather than undeploying mid-setup
    }
    throw new IllegalStateException("no event loop other than the node's (" + nodeThread + ") for the driver");
  }

  /** Runs {@code create} on the driver's context, so clients made there belong to its event loop. */
  <T> T onLoop(String what, Supplier<Future<T>> create) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      try {
        create.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return Wait.on(promise.future(), what);
  }

  /** One pass: {@code inflight} operations outstanding for {@code millis}, at most {@code maxOps} issued. */
  Sample run(String variant, Supplier<Future<?>> op, int inflight, long millis, long maxOps) {
    return Wait.on(start(variant, op, inflight, millis, maxOps), "run the " + variant + " pass",
      millis + DRAIN_MILLIS + 10_000);
  }

  /** Starts a pass without waiting for it (several drivers can then run at once). */
  Future<Sample> start(String variant, Supplier<Future<?>> op, int inflight, long millis, long maxOps) {
    Promise<Sample> done = Promise.promise();
    context.runOnContext(v -> new Pass(variant, op, millis, maxOps, done).start(inflight));
    return done.future();
  }

  private final class Pass {
    private final String variant;
    private final Supplier<Future<?>> op;
    private final long maxOps;
    private final Promise<Sample> done;
    private final Histogram latency = new Histogram(MAX_MICROS, 3);
    private final long startNanos;
    private final long endNanos;
    private final long jvmCpuStart = cpu.jvmNanos();
    private final long otherCpuStart = cpu.otherNanos();
    private final long allocatedStart = cpu.jvmAllocatedBytes();
    private final long stealStart = cpu.stealNanos();
    private long completions;
    private long issued;
    private long inFlight;
    private long succeeded;
    private long failed;
    private long lastCountedNanos;
    private String firstFailure;
    private boolean finished;

    Pass(String variant, Supplier<Future<?>> op, long millis, long maxOps, Promise<Sample> done) {
      this.variant = variant;
      this.op = op;
      this.maxOps = maxOps;
      this.done = done;
      this.startNanos = System.nanoTime();
      this.endNanos = startNanos + millis * 1_000_000;
      this.lastCountedNanos = startNanos;
    }

    void start(int inflight) {
      vertx.setTimer(endNanos / 1_000_000 - startNanos / 1_000_000 + DRAIN_MILLIS, id -> finish());
      for (int i = 0; i < inflight && issued < maxOps; i++) {
        issue();
      }
    }

    private void issue() {
      issued++;
      inFlight++;
      long sent = System.nanoTime();
      Future<?> result;
      try {
        result = op.get();
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(ar -> {
        if (Vertx.currentContext() == context) {
          completed(sent, ar.succeeded(), ar.cause());
        } else {
          context.runOnContext(v -> completed(sent, ar.succeeded(), ar.cause()));
        }
      });
    }

    private void completed(long sent, boolean ok, Throwable cause) {
      long now = System.nanoTime();
      inFlight--;
      completions++;
      if (now <= endNanos) {
        latency.recordValue(Math.min(MAX_MICROS, Math.max(1, (now - sent) / 1_000)));
        lastCountedNanos = now;
        if (ok) {
          succeeded++;
        } else {
          failed++;
          if (firstFailure == null) {
            firstFailure = String.valueOf(cause);
          }
        }
      }
      if (finished) {
        return;
      }
      if (now < endNanos && issued < maxOps) {
        issue();
      } else if (inFlight == 0) {
        finish();
      }
    }

    private void finish() {
      if (finished) {
        return;
      }
      finished = true;
      // a pass cut short by its count bound lasted until its last completion, otherwise its whole window
      long elapsed = issued >= maxOps ? lastCountedNanos - startNanos : endNanos - startNanos;
      double seconds = Math.max(1, elapsed) / 1e9;
      long ops = Math.max(1, completions);
      done.complete(new Sample(variant, (succeeded + failed) / seconds, succeeded, failed, inFlight, firstFailure,
        latency, (cpu.jvmNanos() - jvmCpuStart) / 1e3 / ops, (cpu.otherNanos() - otherCpuStart) / 1e3 / ops,
        (cpu.jvmAllocatedBytes() - allocatedStart) / (double) ops,
        (cpu.stealNanos() - stealStart) / (double) Math.max(1, System.nanoTime() - startNanos)
          / Runtime.getRuntime().availableProcessors()));
    }
  }
}
