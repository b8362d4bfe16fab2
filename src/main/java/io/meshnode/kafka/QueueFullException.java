package io.meshnode.kafka;

/**
 * Fails an {@link DurableQueue#enqueue} when the queue already holds
 * {@link DurableQueueOptions#getMaxMessages()} messages (stored and still being written). Nothing is dropped: the
 * message was not accepted and the caller must answer the publish request with
 * {@link io.meshnode.contract.MeshFailure#QUEUE_FULL}.
 *
 * <p>Stackless: it is raised on the hot path under overload, where a stack trace says nothing useful.
 */
public final class QueueFullException extends RuntimeException {

  /**
   * @param maxMessages the capacity of the queue that refused the message, named in the message
   */
  public QueueFullException(int maxMessages) {
    super("durable queue is full (" + maxMessages + " messages)", null, false, false);
  }
}
