package io.meshnode.contract;

/** Event-bus header names and values of the public contract. */
public final class MeshHeader {

  /** On every reply: where the answer came from, {@link #SOURCE_PRIMARY} or {@link #SOURCE_FALLBACK}. */
  public static final String SOURCE = "mesh-source";
  /** The dependency itself answered. */
  public static final String SOURCE_PRIMARY = "primary";
  /** The operation's fallback answered (in-memory cache, cached result or durable queue). */
  public static final String SOURCE_FALLBACK = "fallback";
  /** On every reply: how many attempts on the dependency the answer took (0 when the breaker failed fast). */
  public static final String ATTEMPTS = "mesh-attempts";
  /**
   * On every successful reply: the cluster node id of the node that served the request (in a single node, its local
   * id; {@code /health} shows the same id as {@code node}). Failures are plain {@code ReplyException}s, which carry no
   * headers.
   */
  public static final String NODE = "mesh-node";
  /**
   * On a request: the caller's deadline in milliseconds, a positive integer. It only ever shortens the operation's
   * configured timeout.
   */
  public static final String TIMEOUT_MS = "mesh-timeout-ms";
  /** On every Kafka record the node writes: the stable message id consumers dedupe on. */
  public static final String MESSAGE_ID = "mesh-message-id";

  /** On a dead-lettered record: why delivery gave up (the last failure, e.g. a timeout or the handler's code). */
  public static final String DLQ_REASON = "mesh-dlq-reason";
  /** On a dead-lettered record: the topic it was consumed from. */
  public static final String DLQ_TOPIC = "mesh-dlq-topic";
  /** On a dead-lettered record: the partition it was consumed from. */
  public static final String DLQ_PARTITION = "mesh-dlq-partition";
  /** On a dead-lettered record: its offset in that partition. */
  public static final String DLQ_OFFSET = "mesh-dlq-offset";
  /** On a dead-lettered record: how many deliveries reached a handler before it was given up. */
  public static final String DLQ_ATTEMPTS = "mesh-dlq-attempts";

  private MeshHeader() {
  }
}
