package io.meshnode.kafka;

/**
 * The oldest message of the durable queue: where the replay stands.
 *
 * @param seq              its position in the queue
 * @param enqueuedAtMillis when the queue accepted it (epoch millis)
 */
public record QueueHead(long seq, long enqueuedAtMillis) {
}
