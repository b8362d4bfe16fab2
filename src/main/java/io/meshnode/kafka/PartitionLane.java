package io.meshnode.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The event loop's view of one assigned partition: the records fetched and not yet acknowledged, in offset order
 * (the window), which of them may start (at most {@code concurrency} in flight), and the contiguous acknowledged
 * prefix that may be committed. Offsets may have gaps (compaction, transaction markers): the commit point is the
 * offset after the last record of the prefix, never a count.
 *
 * <p>Back-pressure: the partition asks to be paused when its window reaches {@code maxInFlight} records and to be
 * resumed once it is down to half of that; it also stays paused while {@link #block() blocked} (a record waits for
 * a handler or for the delivery breaker), and then starts no further record.
 */
final class PartitionLane {

  /** One fetched record and its delivery state. */
  static final class Entry {
    final ConsumerRecord<String, String> record;
    int attempts;
    int waits;
    private boolean acknowledged;

    Entry(ConsumerRecord<String, String> record) {
      this.record = record;
    }
  }

  private final PartitionProgress progress;
  private final int concurrency;
  private final int maxInFlight;
  private final ArrayDeque<Entry> window = new ArrayDeque<>();
  private final ArrayDeque<Entry> notStarted = new ArrayDeque<>();
  private int started;
  private boolean blocked;
  private boolean full;

  PartitionLane(PartitionProgress progress, int concurrency, int maxInFlight) {
    this.progress = progress;
    this.concurrency = concurrency;
    this.maxInFlight = maxInFlight;
  }

  PartitionProgress progress() {
    return progress;
  }

  /** False once the partition was revoked: its records are dropped, their outcomes ignored. */
  boolean active() {
    return !progress.revoked();
  }

  void add(ConsumerRecord<String, String> record) {
    progress.startAt(record.offset());
    Entry entry = new Entry(record);
    window.addLast(entry);
    notStarted.addLast(entry);
    updatePause();
  }

  /** The records to deliver now, in order; each counts as in flight until acknowledged. */
  List<Entry> startable() {
    List<Entry> ready = new ArrayList<>();
    while (!blocked && started < concurrency && !notStarted.isEmpty()) {
      started++;
      ready.add(notStarted.pollFirst());
    }
    return ready;
  }

  /** The record is done (handled or dead-lettered); advances the commit point over the acknowledged prefix. */
  void acknowledge(Entry entry) {
    if (entry.acknowledged) {
      return;
    }
    entry.acknowledged = true;
    started--;
    long next = -1;
    while (!window.isEmpty() && window.peekFirst().acknowledged) {
      next = window.pollFirst().record.offset() + 1;
    }
    if (next >= 0) {
      progress.acknowledgeUpTo(next);
    }
    updatePause();
  }

  /** A record waits for its address: pause fetching and start nothing more until {@link #unblock()}. */
  void block() {
    blocked = true;
    updatePause();
  }

  /** Returns whether the lane was blocked. */
  boolean unblock() {
    boolean was = blocked;
    blocked = false;
    updatePause();
    return was;
  }

  boolean blocked() {
    return blocked;
  }

  /** Records fetched and not yet acknowledged. */
  int unacknowledged() {
    return window.size();
  }

  private void updatePause() {
    if (window.size() >= maxInFlight) {
      full = true;
    } else if (window.size() <= maxInFlight / 2) {
      full = false;
    }
    progress.wantPause(full, blocked);
  }
}
