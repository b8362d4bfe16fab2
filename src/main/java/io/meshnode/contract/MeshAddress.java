package io.meshnode.contract;

/**
 * Every event-bus address of the mesh node, declared once.
 *
 * <p>The <em>public</em> addresses are the contract other verticles use: the resilience verticle owns them and wraps
 * each request in breaker, retry, deadline and fallback. They are cluster-wide consumers: in a cluster, a request
 * from any node is served by one of the full nodes. The <em>internal</em> ({@code mesh.internal.*}), event
 * ({@code mesh.events.*}) and status ({@code mesh.status.*}) addresses are node-local: registered with
 * {@code localConsumer} and published local-only, so every node uses its own connections and queue and its
 * {@code /health} sees its own breakers. The one cluster-wide event address is {@link #CLUSTER_NODE_STATE}.
 */
public final class MeshAddress {

  /** Publish one record: {@code {topic, key?, value, headers?}} → {@code {status:"published"|"queued", ...}}. */
  public static final String KAFKA_PUBLISH = "mesh.kafka.publish";
  /** Run a named statement: {@code {query, params?}} → {@code {rows, rowCount, stale}}. */
  public static final String PG_QUERY = "mesh.pg.query";
  /** Read one key: {@code {key}} → {@code {key, value}}, value null when absent. */
  public static final String REDIS_GET = "mesh.redis.get";
  /** Write one key: {@code {key, value, ttlSeconds?}} → {@code {key, stored:true, memoryOnly}}. */
  public static final String REDIS_SET = "mesh.redis.set";
  /** Delete one key: {@code {key}} → {@code {key, deleted}}. */
  public static final String REDIS_DEL = "mesh.redis.del";

  /** Internal: the Kafka verticle's producer. */
  public static final String INTERNAL_KAFKA_PUBLISH = "mesh.internal.kafka.publish";
  /** Internal: the Kafka verticle's durable local queue (the Kafka fallback). */
  public static final String INTERNAL_KAFKA_ENQUEUE = "mesh.internal.kafka.enqueue";
  /** Internal: the PostgreSQL verticle's pool. */
  public static final String INTERNAL_PG_QUERY = "mesh.internal.pg.query";
  /** Internal: the Redis verticle's GET. */
  public static final String INTERNAL_REDIS_GET = "mesh.internal.redis.get";
  /** Internal: the Redis verticle's SET. */
  public static final String INTERNAL_REDIS_SET = "mesh.internal.redis.set";
  /** Internal: the Redis verticle's DEL. */
  public static final String INTERNAL_REDIS_DEL = "mesh.internal.redis.del";

  /** Published on every breaker transition: {@code {service, state, previous, at}}. */
  public static final String EVENTS_BREAKER = "mesh.events.breaker";
  /**
   * Published by each data verticle after every probe of its dependency:
   * {@code {dependency, reachable, error?, checkedAt}}.
   */
  public static final String EVENTS_DEPENDENCY = "mesh.events.dependency";
  /**
   * Published when the durable Kafka queue's status changes: {@code {depth, capacity, dead, oldest_age_seconds,
   * stalled}}.
   */
  public static final String EVENTS_QUEUE = "mesh.events.queue";
  /**
   * Published by the Kafka subscription verticle when a subscription starts, its partition assignment changes or its
   * delivery breaker moves: {@code {subscription, topic|pattern, group, address, breaker, partitions, at}}.
   */
  public static final String EVENTS_SUBSCRIPTION = "mesh.events.subscription";
  /** Request/reply: the current breaker states and queue depth, for views that start after the events began. */
  public static final String STATUS_SNAPSHOT = "mesh.status.snapshot";
  /** Request/reply: the Kafka verticle's queue status ({@code depth, capacity, dead, oldest_age_seconds, stalled}). */
  public static final String INTERNAL_QUEUE_STATUS = "mesh.internal.kafka.queue.status";
  /** Node-local request/reply: list, requeue and drop the durable queue's dead letters ({@link QueueAdmin}). */
  public static final String ADMIN_QUEUE_DEAD = "mesh.admin.queue.dead";

  /**
   * Cluster-wide: each full node publishes its state here, stamped {@code node} with its cluster node id, for the
   * cluster view of every node's {@code /health}: {@code {node, kind:"breaker", service, state, at}} on each breaker
   * transition, {@code {node, kind:"queue", queue}} when its queue depth changes, {@code {node, kind:"announce",
   * circuit_breakers:{...}, queue}} periodically (late joiners fill in from it) and {@code {node, kind:"leaving"}}
   * when it stops.
   */
  public static final String CLUSTER_NODE_STATE = "mesh.cluster.node.state";
  /** Node-local: published with {@code {node}} when the cluster manager reports that a node left the cluster. */
  public static final String EVENTS_NODE_LEFT = "mesh.events.node.left";

  private MeshAddress() {
  }
}
