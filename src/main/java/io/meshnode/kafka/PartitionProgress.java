package io.meshnode.kafka;

import org.apache.kafka.common.TopicPartition;

/**
 * What the consumer thread and the event loop share about one assigned partition. Each field has one writer: the
 * event loop writes what is acknowledged and whether fetching should pause; the consumer thread writes what it
 * committed, the partition's end and position (for the lag gauge) and the revocation (the event loop too, when the
 * subscription stops). A partition assigned again
 * after a revocation gets a new instance, so late acknowledgements of the old assignment land nowhere.
 */
final class PartitionProgress {

  private static final long UNKNOWN = -1;

  private final TopicPartition partition;
  private volatile long acknowledged = UNKNOWN;
  private volatile long committed = UNKNOWN;
  private volatile long requested = UNKNOWN;
  private volatile boolean pauseWanted;
  private volatile boolean resumeSoon;
  private volatile long position = UNKNOWN;
  private volatile long endOffset = UNKNOWN;
  private volatile boolean revoked;

  PartitionProgress(TopicPartition partition) {
    this.partition = partition;
  }

  TopicPartition partition() {
    return partition;
  }

  /** Event loop: the first record fetched; everything before its offset is already done. */
  void startAt(long offset) {
    if (acknowledged == UNKNOWN) {
      acknowledged = offset;
    }
  }

  /** Event loop: every record before {@code nextOffset} is acknowledged. */
  void acknowledgeUpTo(long nextOffset) {
    acknowledged = nextOffset;
  }

  /**
   * Event loop: whether the consumer should stop fetching this partition, because its window is full (it will
   * resume as soon as the handler catches up) or because a record waits for its handler or breaker (not soon).
   */
  void wantPause(boolean windowFull, boolean waiting) {
    pauseWanted = windowFull || waiting;
    resumeSoon = windowFull && !waiting;
  }

  boolean pauseWanted() {
    return pauseWanted;
  }

  /** Paused only for back-pressure: the consumer should check again soon rather than wait a full poll. */
  boolean resumeSoon() {
    return resumeSoon;
  }

  /**
   * Consumer thread: the offset to commit (everything before it is acknowledged), or -1 when nothing is new.
   *
   * @param confirmedOnly compare with what the broker confirmed, not with what was already requested (a final,
   *                      synchronous commit)
   */
  long toCommit(boolean confirmedOnly) {
    long next = acknowledged;
    if (next <= (confirmedOnly ? committed : requested)) {
      return UNKNOWN;
    }
    requested = next;
    return next;
  }

  /** Consumer thread: the broker confirmed {@code offset}. */
  void committed(long offset) {
    committed = Math.max(committed, offset);
  }

  /** Consumer thread: a commit failed; the next step asks again. */
  void commitFailed() {
    requested = committed;
  }

  /** Consumer thread: the fetch position and the partition's end, after a poll. */
  void fetched(long fetchPosition, long end) {
    position = fetchPosition;
    endOffset = end;
  }

  /** Records in the partition not yet acknowledged by this node: the consumer lag. */
  double lag() {
    long end = endOffset;
    long base = acknowledged != UNKNOWN ? acknowledged : position;
    return end == UNKNOWN || base == UNKNOWN ? 0 : Math.max(0, end - base);
  }

  /** The partition was taken away (or the subscription stops): nothing more of it is delivered or acknowledged. */
  void revoke() {
    revoked = true;
  }

  boolean revoked() {
    return revoked;
  }
}
