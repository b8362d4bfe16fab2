package io.meshnode.contract;

/**
 * Every event-bus address of the mesh node, declared once.
 *
 * <p>The <em>public</em> addresses are the contract other verticles use: the resilience verticle owns them and wraps
 * each request in breaker, retry, deadline and fallback. The <em>internal</em> addresses are owned by the Kafka,
 * PostgreSQL and Redis verticles and are registered as local consumers: only the resilience verticle of the same
 * node sends to them.
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
  /** Published when the durable Kafka queue's depth changes: {@code {depth, capacity}}. */
  public static final String EVENTS_QUEUE = "mesh.events.queue";
  /**
   * Published by the Kafka subscription verticle when a subscription starts, its partition assignment changes or its
   * delivery breaker moves: {@code {subscription, topic|pattern, group, address, breaker, partitions, at}}.
   */
  public static final String EVENTS_SUBSCRIPTION = "mesh.events.subscription";
  /** Request/reply: the current breaker states and queue depth, for views that start after the events began. */
  public static final String STATUS_SNAPSHOT = "mesh.status.snapshot";
  /** Request/reply: the Kafka verticle's queue depth and capacity. */
  public static final String INTERNAL_QUEUE_STATUS = "mesh.internal.kafka.queue.status";

  private MeshAddress() {
  }
}
