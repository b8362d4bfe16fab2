package io.meshnode.contract;

/**
 * The node-local admin contract of the durable Kafka queue's dead letters, served on
 * {@link MeshAddress#ADMIN_QUEUE_DEAD} by the node that holds the queue (and over HTTP by its web verticle, to
 * loopback callers only: {@code GET /admin/queue/dead}, {@code POST /admin/queue/dead/requeue|drop}).
 *
 * <ul>
 *   <li>{@code {action:"list", limit?}} → {@code {count, dead:[{id, topic, key, value_chars, headers, reason, error,
 *       attempts, enqueued_at, dead_at}]}}, oldest first, at most {@code limit} ({@value #DEFAULT_LIMIT});</li>
 *   <li>{@code {action:"requeue", ids:[...]}} or {@code {action:"requeue", all:true}} → {@code {requeued}}: back at
 *       the end of the queue, with the same message ids;</li>
 *   <li>{@code {action:"drop", ids:[...]}} or {@code {action:"drop", all:true}} → {@code {dropped}}.</li>
 * </ul>
 * Anything else is a 400.
 */
public final class QueueAdmin {

  public static final String ACTION = "action";
  public static final String LIST = "list";
  public static final String REQUEUE = "requeue";
  public static final String DROP = "drop";
  /** The message ids a requeue or drop applies to. */
  public static final String IDS = "ids";
  /** {@code true}: a requeue or drop applies to every dead letter. */
  public static final String ALL = "all";
  public static final String LIMIT = "limit";
  public static final int DEFAULT_LIMIT = 1000;
  public static final String COUNT = "count";
  public static final String DEAD = "dead";
  public static final String REQUEUED = "requeued";
  public static final String DROPPED = "dropped";

  private QueueAdmin() {
  }
}
