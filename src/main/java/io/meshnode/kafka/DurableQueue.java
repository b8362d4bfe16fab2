package io.meshnode.kafka;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A durable FIFO of Kafka records, kept in a SQLite file while Kafka is unavailable.
 *
 * <p><b>Durability.</b> {@link #enqueue} completes only after the message is committed and fsynced: SQLite runs in
 * WAL journal mode with {@code synchronous=FULL}, which fsyncs the WAL on every commit. An acknowledged message
 * survives {@code kill -9} and a restart; {@link #open} recovers the depth and the next seq from the file.
 *
 * <p><b>Group commit.</b> All file I/O runs on one dedicated thread owned by the queue, never on an event loop.
 * Enqueues that arrive while a transaction is being committed wait in memory and are written together by the next
 * transaction, at most {@link DurableQueueOptions#getMaxBatch()} per transaction; each caller's future completes
 * after the transaction holding its message has committed.
 *
 * <p><b>Order.</b> A message's {@link QueuedMessage#seq() seq} follows the order in which {@code enqueue} was
 * called (calls from one Vert.x context keep their order), is strictly increasing and is never reused. A replayer
 * {@link #peekAfter reads} the oldest messages, sends them, then {@link #remove removes} those Kafka acknowledged;
 * after a crash it replays from the oldest remaining message, with the same ids.
 *
 * <p><b>Capacity.</b> When {@link #depth()} (stored plus being written) has reached
 * {@link DurableQueueOptions#getMaxMessages()}, {@code enqueue} fails with {@link QueueFullException} and nothing
 * already queued is touched.
 *
 * <p><b>Dead letters.</b> A message Kafka refuses for good is {@link #bury buried}: moved, in one transaction, to a
 * dead-letter table of the same file, where operators list, {@link #requeue requeue} (same id, at the queue's end) or
 * {@link #drop} it. A message is always either queued or dead.
 *
 * <p>Futures complete on the caller's Vert.x context. Only one queue may open a file at a time.
 */
public final class DurableQueue {

  private record Pending(QueuedMessage message, Context context, Promise<QueuedMessage> promise) {
  }

  private final Vertx vertx;
  private final DurableQueueOptions options;
  private final ExecutorService io;
  private final SqliteQueueStore store;
  private final QueueFullException full;
  private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicLong depth;
  private final AtomicLong dead;
  private final Object admission = new Object();
  private Future<Void> closed;
  private long lastSeq;

  private DurableQueue(Vertx vertx, DurableQueueOptions options, ExecutorService io, SqliteQueueStore store,
                       long depth, long dead, long lastSeq) {
    this.vertx = vertx;
    this.options = options;
    this.io = io;
    this.store = store;
    this.full = new QueueFullException(options.getMaxMessages());
    this.depth = new AtomicLong(depth);
    this.dead = new AtomicLong(dead);
    this.lastSeq = lastSeq;
  }

  /**
   * Opens the queue stored at {@link DurableQueueOptions#getPath()}, creating the parent directories and the table
   * if missing, and recovering the depth and the next seq from the file.
   *
   * @param vertx   the Vert.x instance whose context completes the returned futures
   * @param options the queue options, copied
   * @return the open queue, or a failure if the file cannot be opened (or is held by another queue)
   */
  public static Future<DurableQueue> open(Vertx vertx, DurableQueueOptions options) {
    DurableQueueOptions copy = new DurableQueueOptions(options);
    Path file = Path.of(copy.getPath());
    ExecutorService io = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "durable-queue-" + file.getFileName());
      thread.setDaemon(true);
      return thread;
    });
    Future<DurableQueue> opened = onThread(vertx, io, () -> {
      SqliteQueueStore store = SqliteQueueStore.open(file);
      return new DurableQueue(vertx, copy, io, store, store.count(), store.deadLetters().count(), store.lastSeq());
    });
    return opened.onFailure(failure -> io.shutdown());
  }

  /**
   * Stores a message durably.
   *
   * @param message the message to store; its {@code seq} and {@code enqueuedAtMillis} are ignored and assigned
   * @return the stored message, once committed and fsynced; a {@link QueueFullException} when the queue is full;
   *     an {@link IllegalStateException} once the queue is closed
   */
  public Future<QueuedMessage> enqueue(QueuedMessage message) {
    Objects.requireNonNull(message, "message");
    Context context = vertx.getOrCreateContext();
    Promise<QueuedMessage> promise = Promise.promise();
    QueuedMessage accepted = message.stored(0, System.currentTimeMillis());
    synchronized (admission) {
      if (closed != null) {
        return Future.failedFuture(new IllegalStateException("durable queue is closed"));
      }
      if (depth.get() >= options.getMaxMessages()) {
        return Future.failedFuture(full);
      }
      depth.incrementAndGet();
      pending.add(new Pending(accepted, context, promise));
    }
    scheduleDrain();
    return promise.future();
  }

  /**
   * Reads the oldest stored messages without removing them.
   *
   * @param max the maximum number of messages to return, {@code > 0}
   * @return up to {@code max} messages, oldest (lowest seq) first; messages still being written are not included
   */
  public Future<List<QueuedMessage>> peek(int max) {
    return peekAfter(0, max); // stored seqs start at 1
  }

  /**
   * Reads the oldest stored messages after a given seq without removing them: a replayer that keeps sends in
   * flight reads its next batch with the seq of the last message it sent, before the earlier ones are removed.
   *
   * @param afterSeq only messages whose seq is greater are returned
   * @param max      the maximum number of messages to return, {@code > 0}
   * @return up to {@code max} messages, lowest seq first; messages still being written are not included
   */
  public Future<List<QueuedMessage>> peekAfter(long afterSeq, int max) {
    if (max <= 0) {
      return Future.failedFuture(new IllegalArgumentException("max must be > 0, was " + max));
    }
    return onIoThread(() -> store.peekAfter(afterSeq, max));
  }

  /**
   * Removes the messages with these seqs (Kafka acknowledged them), committed and fsynced in one transaction.
   *
   * @return how many messages were removed
   */
  public Future<Integer> remove(List<Long> seqs) {
    return onIoThread(() -> {
      int removed = store.delete(seqs);
      depth.addAndGet(-removed);
      return removed;
    });
  }

  /**
   * Sets messages Kafka refused for good aside, in the dead-letter store of the same file: each moves in one
   * transaction, committed and fsynced, so it is always either queued or dead, never lost.
   */
  public Future<Void> bury(List<DeadLetter> letters) {
    return onIoThread(() -> {
      store.deadLetters().bury(letters);
      depth.addAndGet(-letters.size());
      dead.addAndGet(letters.size());
      return null;
    });
  }

  /** @return the dead letters, oldest first, at most {@code max} */
  public Future<List<DeadLetter>> deadLetters(int max) {
    return onIoThread(() -> store.deadLetters().list(max));
  }

  /**
   * Puts the dead letters with these message ids ({@code null}: all) back at the end of the queue, with their ids, to
   * be replayed again.
   *
   * @return how many were requeued
   */
  public Future<Integer> requeue(Collection<String> ids) {
    return onIoThread(() -> {
      List<QueuedMessage> requeued = store.deadLetters().requeue(ids, lastSeq + 1);
      lastSeq += requeued.size();
      depth.addAndGet(requeued.size());
      dead.addAndGet(-requeued.size());
      return requeued.size();
    });
  }

  /** Deletes the dead letters with these message ids ({@code null}: all); @return how many */
  public Future<Integer> drop(Collection<String> ids) {
    return onIoThread(() -> {
      int dropped = store.deadLetters().drop(ids);
      dead.addAndGet(-dropped);
      return dropped;
    });
  }

  /** @return the oldest stored message's seq and when it was accepted, or {@code null} when none is stored */
  public Future<QueueHead> head() {
    return onIoThread(store::head);
  }

  /**
   * @return the number of messages stored plus those being written; cheap and thread-safe
   */
  public long depth() {
    return depth.get();
  }

  /** @return the number of dead letters; cheap and thread-safe */
  public long deadCount() {
    return dead.get();
  }

  /**
   * Stops accepting messages, writes those already accepted, then closes the file and the I/O thread.
   * Calling it again returns the same outcome.
   *
   * @return completes once the file is closed
   */
  public Future<Void> close() {
    synchronized (admission) {
      if (closed == null) {
        closed = onIoThread(() -> {
          while (!pending.isEmpty()) {
            drainBatch();
          }
          store.close();
          return null;
        });
        io.shutdown();
      }
      return closed;
    }
  }

  private void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true)) {
      try {
        io.execute(this::drain);
      } catch (RejectedExecutionException closing) {
        drainScheduled.set(false); // close() writes what is pending
      }
    }
  }

  private void drain() {
    drainBatch();
    drainScheduled.set(false);
    if (!pending.isEmpty()) {
      scheduleDrain();
    }
  }

  /** Runs on the I/O thread: writes up to maxBatch pending messages in one transaction. */
  private void drainBatch() {
    List<Pending> batch = new ArrayList<>();
    List<QueuedMessage> messages = new ArrayList<>();
    Pending next;
    while (batch.size() < options.getMaxBatch() && (next = pending.poll()) != null) {
      batch.add(next);
      messages.add(next.message().stored(lastSeq + batch.size(), next.message().enqueuedAtMillis()));
    }
    if (batch.isEmpty()) {
      return;
    }
    try {
      store.insert(messages);
      lastSeq += batch.size();
      for (int i = 0; i < batch.size(); i++) {
        QueuedMessage stored = messages.get(i);
        Pending waiting = batch.get(i);
        waiting.context().runOnContext(v -> waiting.promise().complete(stored));
      }
    } catch (Exception e) {
      depth.addAndGet(-batch.size());
      batch.forEach(waiting -> waiting.context().runOnContext(v -> waiting.promise().fail(e)));
    }
  }

  private <T> Future<T> onIoThread(Callable<T> task) {
    return onThread(vertx, io, task);
  }

  private static <T> Future<T> onThread(Vertx vertx, ExecutorService thread, Callable<T> task) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    try {
      thread.execute(() -> {
        try {
          T result = task.call();
          context.runOnContext(v -> promise.complete(result));
        } catch (Exception e) {
          context.runOnContext(v -> promise.fail(e));
        }
      });
    } catch (RejectedExecutionException e) {
      return Future.failedFuture(new IllegalStateException("durable queue is closed"));
    }
    return promise.future();
  }
}
