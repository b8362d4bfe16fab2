package io.meshnode.client;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshField;
import io.meshnode.contract.MeshHeader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The typed, Future-based client other verticles use to talk to the mesh, over exactly the public event-bus contract
 * ({@link MeshAddress}). Works from any verticle on the node's Vert.x instance or anywhere in its cluster.
 *
 * <p>Failures are {@link io.vertx.core.eventbus.ReplyException}s: branch on {@code failureType()} (TIMEOUT,
 * NO_HANDLERS, RECIPIENT_FAILURE) and then on {@code failureCode()}, one of {@link io.meshnode.contract.MeshFailure}.
 *
 * <pre>{@code
 * MeshClient mesh = MeshClient.create(vertx);
 * mesh.redis().set("greeting", "hello", 60)
 *   .compose(r -> mesh.redis().get("greeting"))
 *   .onSuccess(r -> log.info("value {} from {}", r.body().getString("value"), r.fallback() ? "fallback" : "redis"));
 * }</pre>
 */
public final class MeshClient {

  /**
   * How long a request made without {@link #withTimeout} waits for its reply: above the longest shipped operation
   * deadline ({@code kafka_publish}, 30 s), so the node's own answer — served, fallback or coded failure — arrives
   * first; a request the cluster lost (its node killed) ends as a {@code TIMEOUT} failure instead of never.
   */
  public static final long DEFAULT_SEND_TIMEOUT_MILLIS = 60_000;
  /** With {@link #withTimeout}: how much longer than the deadline the client waits for the node's answer to travel. */
  public static final long REPLY_MARGIN_MILLIS = 1_000;

  private final Vertx vertx;
  private final long timeoutMillis;

  private MeshClient(Vertx vertx, long timeoutMillis) {
    this.vertx = vertx;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * A client whose requests use the operations' configured deadlines, waiting at most
   * {@value #DEFAULT_SEND_TIMEOUT_MILLIS} ms for a reply.
   */
  public static MeshClient create(Vertx vertx) {
    return new MeshClient(vertx, 0);
  }

  /**
   * A client whose requests carry {@code mesh-timeout-ms}: the node answers within this deadline (or the operation's
   * own, when shorter), by fallback or a 504; the client waits {@value #REPLY_MARGIN_MILLIS} ms longer, then fails
   * the request with a {@code TIMEOUT} (a request lost with a node killed mid-flight).
   */
  public MeshClient withTimeout(long millis) {
    if (millis <= 0) {
      throw new IllegalArgumentException("timeout must be positive, got " + millis);
    }
    return new MeshClient(vertx, millis);
  }

  /** Kafka operations. */
  public Kafka kafka() {
    return new Kafka();
  }

  /** PostgreSQL operations. */
  public Postgres postgres() {
    return new Postgres();
  }

  /** Redis operations. */
  public Redis redis() {
    return new Redis();
  }

  private Future<MeshReply> request(String address, JsonObject body) {
    DeliveryOptions options = new DeliveryOptions();
    if (timeoutMillis > 0) {
      options.addHeader(MeshHeader.TIMEOUT_MS, Long.toString(timeoutMillis))
        .setSendTimeout(timeoutMillis + REPLY_MARGIN_MILLIS);
    } else {
      options.setSendTimeout(DEFAULT_SEND_TIMEOUT_MILLIS);
    }
    return vertx.eventBus().<JsonObject>request(address, body, options).map(MeshReply::of);
  }

  /** {@code mesh.kafka.publish}. */
  public final class Kafka {

    /**
     * Publishes {@code value} to {@code topic}: {@code {status:"published", id, topic, partition, offset}}, or,
     * when Kafka is unavailable, {@code {status:"queued", id}} once the record is on the node's disk.
     */
    public Future<MeshReply> publish(String topic, String key, String value) {
      return publish(topic, key, value, null);
    }

    /** As {@link #publish(String, String, String)}, with record headers (string values). */
    public Future<MeshReply> publish(String topic, String key, String value, JsonObject headers) {
      JsonObject body = new JsonObject().put(MeshField.TOPIC, topic).put(MeshField.KEY, key).put(MeshField.VALUE, value);
      if (headers != null) {
        body.put(MeshField.HEADERS, headers);
      }
      return request(MeshAddress.KAFKA_PUBLISH, body);
    }
  }

  /** {@code mesh.pg.query}. */
  public final class Postgres {

    /**
     * Runs the named statement {@code query} with bound {@code params}: {@code {rows, rowCount, stale:false}}, or
     * from the read fallback {@code {rows, rowCount, stale:true, cachedAt}}.
     */
    public Future<MeshReply> query(String query, Object... params) {
      return request(MeshAddress.PG_QUERY,
        new JsonObject().put(MeshField.QUERY, query).put(MeshField.PARAMS, new JsonArray(java.util.Arrays.asList(params))));
    }
  }

  /** {@code mesh.redis.get}, {@code mesh.redis.set}, {@code mesh.redis.del}. */
  public final class Redis {

    /** {@code {key, value}}, value null when absent. */
    public Future<MeshReply> get(String key) {
      return request(MeshAddress.REDIS_GET, new JsonObject().put(MeshField.KEY, key));
    }

    /** Stores {@code value} without expiry: {@code {key, stored:true, memoryOnly}}. */
    public Future<MeshReply> set(String key, String value) {
      return request(MeshAddress.REDIS_SET, new JsonObject().put(MeshField.KEY, key).put(MeshField.VALUE, value));
    }

    /** Stores {@code value} for {@code ttlSeconds}. */
    public Future<MeshReply> set(String key, String value, long ttlSeconds) {
      return request(MeshAddress.REDIS_SET, new JsonObject().put(MeshField.KEY, key).put(MeshField.VALUE, value)
        .put(MeshField.TTL_SECONDS, ttlSeconds));
    }

    /** {@code {key, deleted, memoryOnly}}. */
    public Future<MeshReply> del(String key) {
      return request(MeshAddress.REDIS_DEL, new JsonObject().put(MeshField.KEY, key));
    }
  }
}
