package io.meshnode.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionLaneTest {

  private final PartitionProgress progress = new PartitionProgress(new TopicPartition("t", 0));

  private static ConsumerRecord<String, String> record(long offset) {
    return new ConsumerRecord<>("t", 0, offset, "k", "v" + offset);
  }

  private static List<Long> offsets(List<PartitionLane.Entry> entries) {
    return entries.stream().map(entry -> entry.record.offset()).toList();
  }

  @Test
  void shouldStartOneRecordAtATimeByDefaultAndInOrder() {
    PartitionLane lane = new PartitionLane(progress, 1, 100);
    List.of(10L, 11L, 12L).forEach(offset -> lane.add(record(offset)));

    List<PartitionLane.Entry> first = lane.startable();
    assertThat(offsets(first)).containsExactly(10L);
    assertThat(lane.startable()).isEmpty();
    lane.acknowledge(first.get(0));
    assertThat(offsets(lane.startable())).containsExactly(11L);
  }

  @Test
  void shouldCommitOnlyTheContiguousAcknowledgedPrefixAcrossOffsetGaps() {
    PartitionLane lane = new PartitionLane(progress, 3, 100);
    List.of(4L, 7L, 9L).forEach(offset -> lane.add(record(offset)));
    List<PartitionLane.Entry> started = lane.startable();
    assertThat(progress.toCommit(false)).as("the first record's offset: nothing before it is pending").isEqualTo(4);

    lane.acknowledge(started.get(2));
    lane.acknowledge(started.get(1));
    assertThat(progress.toCommit(false)).as("offset 4 is still in flight").isEqualTo(-1);

    lane.acknowledge(started.get(0));
    assertThat(progress.toCommit(false)).isEqualTo(10);
    assertThat(lane.unacknowledged()).isZero();
  }

  @Test
  void shouldPauseAtMaxInFlightAndResumeAtHalf() {
    PartitionLane lane = new PartitionLane(progress, 4, 4);
    for (long offset = 0; offset < 4; offset++) {
      lane.add(record(offset));
    }
    assertThat(progress.pauseWanted()).isTrue();
    List<PartitionLane.Entry> started = lane.startable();
    lane.acknowledge(started.get(0));
    assertThat(progress.pauseWanted()).as("3 of 4 unacknowledged").isTrue();
    lane.acknowledge(started.get(1));
    assertThat(progress.pauseWanted()).as("2 of 4 unacknowledged").isFalse();
  }

  @Test
  void shouldStartNothingAndStayPausedWhileBlocked() {
    PartitionLane lane = new PartitionLane(progress, 2, 100);
    lane.add(record(0));
    lane.add(record(1));
    lane.add(record(2));
    List<PartitionLane.Entry> started = lane.startable();
    lane.block();
    lane.acknowledge(started.get(1));
    assertThat(lane.startable()).isEmpty();
    assertThat(progress.pauseWanted()).isTrue();

    assertThat(lane.unblock()).isTrue();
    assertThat(progress.pauseWanted()).isFalse();
    assertThat(offsets(lane.startable())).containsExactly(2L);
  }

  @Test
  void shouldMeasureLagFromTheAcknowledgedOffset() {
    PartitionLane lane = new PartitionLane(progress, 1, 100);
    progress.fetched(0, 5);
    assertThat(progress.lag()).isEqualTo(5);
    lane.add(record(0));
    lane.acknowledge(lane.startable().get(0));
    assertThat(progress.lag()).isEqualTo(4);
  }
}
