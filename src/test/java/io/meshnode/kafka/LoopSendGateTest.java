package io.meshnode.kafka;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Which sends may run on the event loop: never one that could block kafka-clients or overtake its topic. */
class LoopSendGateTest {

  private static final long READY_MILLIS = 1_000;
  private static final long BUDGET = 4 * 100;
  private static final int BATCH = 100;

  private final AtomicLong now = new AtomicLong(50_000);
  private final LoopSendGate gate = new LoopSendGate(READY_MILLIS, BUDGET, BATCH, now::get);

  @Test
  void shouldSendTheFirstRecordOfATopicOnTheWorkerAndLaterOnesOnTheLoopOnceOneWasDelivered() {
    assertThat(gate.admitOnLoop("orders", BATCH)).isFalse();
    gate.handedOver("orders");
    gate.release("orders", BATCH, true);

    assertThat(gate.admitOnLoop("orders", BATCH)).isTrue();
    assertThat(gate.admitOnLoop("payments", BATCH)).isFalse();
  }

  @Test
  void shouldNotTrustAFailedSendToHaveFetchedTheTopicsMetadata() {
    assertThat(gate.admitOnLoop("orders", BATCH)).isFalse();
    gate.handedOver("orders");
    gate.release("orders", BATCH, false);

    assertThat(gate.admitOnLoop("orders", BATCH)).isFalse();
  }

  @Test
  void shouldKeepATopicOffTheLoopUntilItsRecordsOnTheWorkerAreHandedToKafkaClients() {
    deliverOnce("orders");
    gate.admitOnLoop("orders", BUDGET);
    assertThat(gate.admitOnLoop("orders", BATCH)).as("over the buffer budget: worker").isFalse();
    gate.release("orders", BUDGET, true);

    assertThat(gate.admitOnLoop("orders", BATCH)).as("an earlier record still waits on the worker").isFalse();
    gate.handedOver("orders");
    gate.handedOver("orders");
    assertThat(gate.admitOnLoop("orders", BATCH)).as("both handed over, though not yet answered").isTrue();
    assertThat(gate.admitOnLoop("other", BATCH)).as("no topic overtakes itself, others are apart").isFalse();
  }

  @Test
  void shouldLeaveTheLoopOnceATopicWentUndeliveredForHalfTheMetadataIdleTime() {
    deliverOnce("orders");
    now.addAndGet(READY_MILLIS - 1);
    assertThat(gate.admitOnLoop("orders", BATCH)).isTrue();
    gate.release("orders", BATCH, true);

    now.addAndGet(READY_MILLIS);
    assertThat(gate.admitOnLoop("orders", BATCH)).isFalse();
  }

  @Test
  void shouldReserveEveryOutstandingRecordsShareOfTheBufferUntilItIsAnswered() {
    deliverOnce("orders");
    for (int i = 0; i < 4; i++) {
      assertThat(gate.admitOnLoop("orders", gate.charge(10))).isTrue();
    }
    assertThat(gate.reserved()).isEqualTo(BUDGET);
    assertThat(gate.admitOnLoop("orders", gate.charge(10))).isFalse();

    gate.release("orders", BATCH, false);
    gate.handedOver("orders");
    gate.release("orders", BATCH, false);
    assertThat(gate.reserved()).isEqualTo(BUDGET - BATCH);
    assertThat(gate.charge(BATCH * 3)).as("a record larger than a batch is charged its size").isEqualTo(BATCH * 3);
  }

  @Test
  void shouldTakeItsBoundsFromTheProducerConfigWithKafkaClientsDefaults() {
    LoopSendGate shipped = LoopSendGate.forProducer(Map.of(), now::get);
    assertThat(shipped.charge(1)).isEqualTo(16_384);

    LoopSendGate tuned = LoopSendGate.forProducer(
      Map.of("batch.size", "1000", "buffer.memory", " 4000 ", "metadata.max.idle.ms", "10"), now::get);
    tuned.admitOnLoop("orders", 1000);
    tuned.handedOver("orders");
    tuned.release("orders", 1000, true);
    now.addAndGet(4);
    assertThat(tuned.admitOnLoop("orders", 2000)).isTrue();
    assertThat(tuned.admitOnLoop("orders", 1)).as("half of buffer.memory is reserved").isFalse();
    tuned.handedOver("orders");
    tuned.release("orders", 1, true);
    now.addAndGet(5);
    assertThat(tuned.admitOnLoop("orders", 1)).as("half of metadata.max.idle.ms has passed").isFalse();
  }

  private void deliverOnce(String topic) {
    gate.admitOnLoop(topic, BATCH);
    gate.handedOver(topic);
    gate.release(topic, BATCH, true);
  }
}
