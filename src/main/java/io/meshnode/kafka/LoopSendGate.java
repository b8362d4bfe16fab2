package io.meshnode.kafka;

import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Decides whether a record may be handed to kafka-clients' {@code KafkaProducer.send} on the event loop instead of
 * through the producer's worker thread, saving a thread hand-off per publish. {@code send} blocks (up to
 * {@code max.block.ms}) in two cases only: the topic's metadata is not cached, or the producer's buffer has no room
 * for a new batch. So a record goes on the loop only when
 * <ul>
 *   <li>a send to its topic was delivered within half of {@code metadata.max.idle.ms} (the producer keeps a topic's
 *       metadata at least that long after its last send), and every record of that topic sent through the worker
 *       has been handed to kafka-clients, so that a record never overtakes an earlier one of its topic; and</li>
 *   <li>the records this producer has outstanding, each charged a whole {@code batch.size} (or its own size when
 *       larger, as the producer allocates), stay within half of {@code buffer.memory}.</li>
 * </ul>
 * Everything else takes the worker path as before. Used on the Kafka verticle's context only.
 */
final class LoopSendGate {

  /** Topics kept before the expired ones are swept out, at most once per {@code readyMillis}. */
  private static final int SWEEP_ABOVE = 4_096;

  private final long readyMillis;
  private final long bufferBudget;
  private final int batchSize;
  private final LongSupplier clock;
  private final Map<String, TopicState> topics = new HashMap<>();
  private long reserved;
  private long nextSweep = Long.MIN_VALUE;

  LoopSendGate(long readyMillis, long bufferBudget, int batchSize, LongSupplier clock) {
    this.readyMillis = readyMillis;
    this.bufferBudget = bufferBudget;
    this.batchSize = batchSize;
    this.clock = clock;
  }

  /** The gate for a producer built from {@code producerConfig}, with kafka-clients' defaults for absent keys. */
  static LoopSendGate forProducer(Map<String, ?> producerConfig, LongSupplier clock) {
    return new LoopSendGate(number(producerConfig, ProducerConfig.METADATA_MAX_IDLE_CONFIG, 300_000) / 2,
      number(producerConfig, ProducerConfig.BUFFER_MEMORY_CONFIG, 32L * 1024 * 1024) / 2,
      (int) number(producerConfig, ProducerConfig.BATCH_SIZE_CONFIG, 16_384), clock);
  }

  /** What a record of at most {@code recordBytes} may hold of the producer's buffer. */
  long charge(int recordBytes) {
    return Math.max(batchSize, recordBytes);
  }

  /**
   * Admits a record of {@code charge} to {@code topic}: true if it may be sent on the loop; if not, it goes through
   * the worker, which reports {@link #handedOver}. Either way the charge is reserved until {@link #release}.
   */
  boolean admitOnLoop(String topic, long charge) {
    TopicState state = topics.computeIfAbsent(topic, t -> new TopicState());
    boolean onLoop = state.onWorker == 0 && state.readyUntil > clock.getAsLong() && reserved + charge <= bufferBudget;
    if (!onLoop) {
      state.onWorker++;
    }
    reserved += charge;
    return onLoop;
  }

  /** A record of {@code topic} admitted to the worker has returned from {@code KafkaProducer.send}. */
  void handedOver(String topic) {
    topics.get(topic).onWorker--;
  }

  /** Ends what {@link #admitOnLoop} began, once the producer has answered for the record. */
  void release(String topic, long charge, boolean delivered) {
    reserved -= charge;
    if (delivered) {
      topics.computeIfAbsent(topic, t -> new TopicState()).readyUntil = clock.getAsLong() + readyMillis;
    }
    if (topics.size() > SWEEP_ABOVE) {
      sweep(clock.getAsLong());
    }
  }

  /**
   * Forgets topics in the state a new one starts in; throttled, so that many live topics do not cost a scan of all
   * of them per record.
   */
  private void sweep(long now) {
    if (now >= nextSweep) {
      nextSweep = now + readyMillis;
      topics.values().removeIf(s -> s.onWorker == 0 && s.readyUntil <= now);
    }
  }

  /** Bytes charged to records not yet answered. */
  long reserved() {
    return reserved;
  }

  private static long number(Map<String, ?> config, String key, long fallback) {
    Object value = config.get(key);
    return value == null ? fallback : Long.parseLong(value.toString().trim());
  }

  private static final class TopicState {
    long readyUntil = Long.MIN_VALUE;
    int onWorker;
  }
}
