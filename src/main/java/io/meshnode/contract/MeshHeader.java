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
   * On a request: the caller's deadline in milliseconds, a positive integer. It only ever shortens the operation's
   * configured timeout.
   */
  public static final String TIMEOUT_MS = "mesh-timeout-ms";
  /** On every Kafka record the node writes: the stable message id consumers dedupe on. */
  public static final String MESSAGE_ID = "mesh-message-id";

  private MeshHeader() {
  }
}
