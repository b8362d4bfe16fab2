package io.meshnode.resilience;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The deadlines of the requests served on one context, kept with a single Vert.x timer instead of one timer per
 * request (a {@code setTimer} and a {@code cancelTimer} per request were ~8 % of the node thread's time).
 *
 * <p>Deadlines of the same delay are scheduled in time order, so each delay has a lane — a doubly linked list — that
 * stays sorted by appending: scheduling and cancelling are O(1) and allocate one node. The one timer is armed for the
 * earliest deadline; it is re-armed only when a deadline earlier than that is scheduled (a shorter delay), and is not
 * cancelled when requests complete: when it fires it expires every deadline that has passed and arms itself for the
 * earliest one left, if any. Under a steady load of 5 s deadlines that complete in microseconds, it fires about once
 * per 5 s. A deadline never fires before its time, and fires as soon as a Vert.x timer for it would.
 *
 * <p>Not thread-safe: schedule and cancel from one context; the timer then fires on that context too.
 */
public final class Deadlines {

  private static final Logger LOG = LoggerFactory.getLogger(Deadlines.class);

  private final Vertx vertx;
  private final Map<Long, Lane> lanes = new HashMap<>();
  /** The lane used last: most requests of a context share one delay (their route's timeout). */
  private Lane lastLane;
  private long timerId = -1;
  /** The deadline the armed timer was set for. */
  private long armedForNanos;
  private boolean firing;
  private long timersArmed;

  public Deadlines(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Runs {@code onExpiry} on this context {@code delayMillis} from now, unless the deadline is cancelled first. */
  public Deadline schedule(long delayMillis, Runnable onExpiry) {
    long atNanos = System.nanoTime() + delayMillis * 1_000_000;
    Deadline deadline = new Deadline(atNanos, onExpiry);
    lane(delayMillis).append(deadline);
    if (!firing && (timerId == -1 || atNanos < armedForNanos)) {
      arm(atNanos);
    }
    return deadline;
  }

  /** How many Vert.x timers this has armed so far (for tests). */
  long timersArmed() {
    return timersArmed;
  }

  /** Deadlines scheduled and neither expired nor cancelled (for tests). */
  int pending() {
    int pending = 0;
    for (Lane lane : lanes.values()) {
      for (Deadline d = lane.head; d != null; d = d.next) {
        pending++;
      }
    }
    return pending;
  }

  private Lane lane(long delayMillis) {
    Lane lane = lastLane;
    if (lane == null || lane.delayMillis != delayMillis) {
      lane = lanes.computeIfAbsent(delayMillis, Lane::new);
      lastLane = lane;
    }
    return lane;
  }

  private void arm(long atNanos) {
    if (timerId != -1) {
      vertx.cancelTimer(timerId);
    }
    long delayMillis = Math.max(1, (atNanos - System.nanoTime() + 999_999) / 1_000_000);
    armedForNanos = atNanos;
    timersArmed++;
    timerId = vertx.setTimer(delayMillis, id -> fire());
  }

  private void fire() {
    timerId = -1;
    firing = true;
    try {
      long now = System.nanoTime();
      List<Deadline> expired = new ArrayList<>();
      for (Lane lane : lanes.values()) {
        while (lane.head != null && lane.head.atNanos - now <= 0) {
          Deadline deadline = lane.head;
          lane.unlink(deadline);
          expired.add(deadline);
        }
      }
      for (Deadline deadline : expired) {
        try {
          deadline.onExpiry.run();
        } catch (RuntimeException e) {
          LOG.error("a deadline's expiry failed", e);
        }
      }
    } finally {
      firing = false;
    }
    armForEarliest();
  }

  /** Drops empty lanes and arms the timer for the earliest deadline left, if any. */
  private void armForEarliest() {
    Deadline earliest = null;
    for (Iterator<Lane> it = lanes.values().iterator(); it.hasNext(); ) {
      Lane lane = it.next();
      if (lane.head == null) {
        it.remove();
        if (lane == lastLane) {
          lastLane = null;
        }
      } else if (earliest == null || lane.head.atNanos - earliest.atNanos < 0) {
        earliest = lane.head;
      }
    }
    if (earliest != null) {
      arm(earliest.atNanos);
    }
  }

  /** One request's deadline. */
  public static final class Deadline {
    private final long atNanos;
    private final Runnable onExpiry;
    private Lane lane;
    private Deadline previous;
    private Deadline next;

    private Deadline(long atNanos, Runnable onExpiry) {
      this.atNanos = atNanos;
      this.onExpiry = onExpiry;
    }

    /** The request completed first: the deadline will not fire. Idempotent; nothing once it has fired. */
    public void cancel() {
      if (lane != null) {
        lane.unlink(this);
      }
    }
  }

  /** The deadlines of one delay, in time order. */
  private static final class Lane {
    private final long delayMillis;
    private Deadline head;
    private Deadline tail;

    Lane(long delayMillis) {
      this.delayMillis = delayMillis;
    }

    void append(Deadline deadline) {
      deadline.lane = this;
      deadline.previous = tail;
      if (tail == null) {
        head = deadline;
      } else {
        tail.next = deadline;
      }
      tail = deadline;
    }

    void unlink(Deadline deadline) {
      if (deadline.previous == null) {
        head = deadline.next;
      } else {
        deadline.previous.next = deadline.next;
      }
      if (deadline.next == null) {
        tail = deadline.previous;
      } else {
        deadline.next.previous = deadline.previous;
      }
      deadline.previous = null;
      deadline.next = null;
      deadline.lane = null;
    }
  }
}
