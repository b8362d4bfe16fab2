package io.meshnode.resilience;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshFailure;
import io.meshnode.contract.MeshField;
import io.meshnode.postgres.NamedStatement;
import io.meshnode.postgres.StatementCatalog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks public requests before any policy sees them, so that bad input gets a coded 400/404 and never a retry, a
 * breaker move or a write. The contract is strict: a field the address does not define is a 400 naming it. Numbers
 * are bounded where the dependency or the node's arithmetic has limits (TTL, deadline, sizes), and topic names Kafka
 * never accepts ({@code .}, {@code ..}, its internal {@code __} topics) are refused here. Returns the internal
 * request the data verticles receive: the request itself, normalised in place (a JSON value encoded, a TTL made a
 * whole number, a publish given its message id) — the bus hands each consumer its own copy of a JSON body, so nothing
 * else sees it change.
 */
public final class RequestValidator {

  /** Default cap on a value's size in bytes (1 MiB). */
  public static final int DEFAULT_MAX_VALUE_BYTES = 1 << 20;
  /** Default cap on a Redis key's length. */
  public static final int DEFAULT_MAX_KEY_LENGTH = 1024;
  /** The longest {@code ttlSeconds} accepted (100 years): the node keeps expiries in nanoseconds. */
  public static final long MAX_TTL_SECONDS = 3_153_600_000L;

  /** Kafka's limit on a topic name's length. */
  private static final int MAX_TOPIC_LENGTH = 249;
  /** The prefix of Kafka's internal topics ({@code __consumer_offsets}, {@code __transaction_state}). */
  private static final String INTERNAL_TOPIC_PREFIX = "__";

  /** The fields each public address defines. */
  private static final Map<String, Set<String>> FIELDS = Map.of(
    MeshAddress.KAFKA_PUBLISH, Set.of(MeshField.TOPIC, MeshField.KEY, MeshField.VALUE, MeshField.HEADERS),
    MeshAddress.PG_QUERY, Set.of(MeshField.QUERY, MeshField.PARAMS),
    MeshAddress.REDIS_GET, Set.of(MeshField.KEY),
    MeshAddress.REDIS_DEL, Set.of(MeshField.KEY),
    MeshAddress.REDIS_SET, Set.of(MeshField.KEY, MeshField.VALUE, MeshField.TTL_SECONDS));

  private final StatementCatalog statements;
  private final Set<String> allowedTopics;
  private final int maxValueBytes;
  private final int maxKeyLength;
  private final MessageIds messageIds = new MessageIds();

  /**
   * @param allowedTopics topics a publish may name; empty allows any valid topic name
   */
  public RequestValidator(StatementCatalog statements, Set<String> allowedTopics, int maxValueBytes, int maxKeyLength) {
    this.statements = statements;
    this.allowedTopics = allowedTopics;
    this.maxValueBytes = maxValueBytes;
    this.maxKeyLength = maxKeyLength;
  }

  /** The internal request for {@code body} sent to public {@code address}; throws a coded ReplyException. */
  public JsonObject validate(String address, Object body) {
    if (!(body instanceof JsonObject request)) {
      throw MeshFailure.badRequest("body", "must be a JSON object");
    }
    Set<String> defined = FIELDS.get(address);
    if (defined == null) {
      throw MeshFailure.of(MeshFailure.INTERNAL, "no validator for " + address);
    }
    if (request.size() > defined.size() || !defined.containsAll(request.fieldNames())) {
      rejectUndefined(address, request, defined);
    }
    return switch (address) {
      case MeshAddress.KAFKA_PUBLISH -> publish(request);
      case MeshAddress.PG_QUERY -> query(request);
      case MeshAddress.REDIS_SET -> set(request);
      default -> keyOnly(request);
    };
  }

  private static void rejectUndefined(String address, JsonObject request, Set<String> defined) {
    for (String field : request.fieldNames()) {
      if (!defined.contains(field)) {
        throw MeshFailure.badRequest(field, "is not defined for " + address + " (its fields: "
          + String.join(", ", new TreeSet<>(defined)) + ")");
      }
    }
  }

  /** The longest {@code mesh-timeout-ms} accepted (a day): anything longer is a mistake, not a deadline. */
  public static final long MAX_TIMEOUT_MILLIS = 86_400_000L;

  /** The caller's {@code mesh-timeout-ms}, or {@code routeTimeout} when absent or longer. */
  public static long deadlineMillis(String header, long routeTimeout) {
    if (header == null) {
      return routeTimeout;
    }
    long requested;
    try {
      requested = Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      throw MeshFailure.badRequest("mesh-timeout-ms", "must be a positive integer of milliseconds");
    }
    if (requested <= 0 || requested > MAX_TIMEOUT_MILLIS) {
      throw MeshFailure.badRequest("mesh-timeout-ms", "must be a positive integer of milliseconds, at most "
        + MAX_TIMEOUT_MILLIS);
    }
    return Math.min(requested, routeTimeout);
  }

  private JsonObject publish(JsonObject request) {
    String topic = requiredString(request, MeshField.TOPIC);
    if (!isTopicName(topic)) {
      throw MeshFailure.badRequest(MeshField.TOPIC, "must be 1-249 of [a-zA-Z0-9._-]");
    }
    if (topic.equals(".") || topic.equals("..")) {
      throw MeshFailure.badRequest(MeshField.TOPIC, "must not be '.' or '..' (Kafka refuses them)");
    }
    if (topic.startsWith(INTERNAL_TOPIC_PREFIX)) {
      throw MeshFailure.badRequest(MeshField.TOPIC, "must not name a Kafka internal topic (prefix "
        + INTERNAL_TOPIC_PREFIX + "): " + topic);
    }
    if (!allowedTopics.isEmpty() && !allowedTopics.contains(topic)) {
      throw MeshFailure.badRequest(MeshField.TOPIC, "names a topic not in kafka.topics: " + topic);
    }
    Object key = request.getValue(MeshField.KEY);
    if (key != null && !(key instanceof String)) {
      throw MeshFailure.badRequest(MeshField.KEY, "must be a string");
    }
    if (key != null) {
      checkSize(MeshField.KEY, (String) key);
    }
    Object value = request.getValue(MeshField.VALUE);
    if (value == null) {
      throw MeshFailure.badRequest(MeshField.VALUE, "is required");
    }
    String encoded = value instanceof String s ? s : io.vertx.core.json.Json.encode(value);
    checkSize(MeshField.VALUE, encoded);
    Object headers = request.getValue(MeshField.HEADERS);
    if (headers != null) {
      if (!(headers instanceof JsonObject object)) {
        throw MeshFailure.badRequest(MeshField.HEADERS, "must be an object of strings");
      }
      object.forEach(h -> {
        if (!(h.getValue() instanceof String headerValue)) {
          throw MeshFailure.badRequest(MeshField.HEADERS + "." + h.getKey(), "must be a string");
        }
        checkSize(MeshField.HEADERS + "." + h.getKey(), headerValue);
      });
    }
    if (value != encoded) {
      request.put(MeshField.VALUE, encoded);
    }
    return request.put(MeshField.ID, messageIds.next());
  }

  private JsonObject query(JsonObject request) {
    String name = requiredString(request, MeshField.QUERY);
    NamedStatement statement = statements.find(name);
    if (statement == null) {
      throw MeshFailure.of(MeshFailure.NOT_FOUND, "unknown named query: " + name);
    }
    boolean withParams = request.containsKey(MeshField.PARAMS);
    Object params = withParams ? request.getValue(MeshField.PARAMS) : new JsonArray();
    if (!(params instanceof JsonArray array)) {
      throw MeshFailure.badRequest(MeshField.PARAMS, "must be an array");
    }
    if (array.size() != statement.paramCount()) {
      throw MeshFailure.badRequest(MeshField.PARAMS, "must have " + statement.paramCount() + " value(s) for "
        + name + ", got " + array.size());
    }
    for (int i = 0; i < array.size(); i++) {
      Object param = array.getValue(i);
      if (param instanceof JsonObject || param instanceof JsonArray) {
        throw MeshFailure.badRequest(MeshField.PARAMS + "[" + i + "]", "must be a string, number, boolean or null");
      }
      if (param instanceof String s) {
        checkSize(MeshField.PARAMS + "[" + i + "]", s);
      }
    }
    return request;
  }

  private JsonObject set(JsonObject request) {
    key(request);
    Object value = request.getValue(MeshField.VALUE);
    if (!(value instanceof String s)) {
      throw MeshFailure.badRequest(MeshField.VALUE, "must be a string");
    }
    checkSize(MeshField.VALUE, s);
    Object ttl = request.getValue(MeshField.TTL_SECONDS);
    if (ttl != null) {
      if (!(ttl instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() <= 0
        || n.doubleValue() > MAX_TTL_SECONDS) {
        throw MeshFailure.badRequest(MeshField.TTL_SECONDS, "must be a positive integer of seconds, at most "
          + MAX_TTL_SECONDS);
      }
      if (!(ttl instanceof Long)) {
        request.put(MeshField.TTL_SECONDS, n.longValue());
      }
    }
    return request;
  }

  /** Kafka's rule, {@code [a-zA-Z0-9._-]{1,249}}, checked without a regex matcher per publish. */
  static boolean isTopicName(String topic) {
    if (topic.isEmpty() || topic.length() > MAX_TOPIC_LENGTH) {
      return false;
    }
    for (int i = 0; i < topic.length(); i++) {
      char c = topic.charAt(i);
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '.' || c == '_' || c == '-';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  private JsonObject keyOnly(JsonObject request) {
    key(request);
    return request;
  }

  private String key(JsonObject request) {
    String key = requiredString(request, MeshField.KEY);
    if (key.length() > maxKeyLength) {
      throw MeshFailure.badRequest(MeshField.KEY, "must be at most " + maxKeyLength + " characters");
    }
    for (int i = 0; i < key.length(); i++) {
      if (Character.isISOControl(key.charAt(i))) {
        throw MeshFailure.badRequest(MeshField.KEY, "must not contain control characters (CR, LF, …)");
      }
    }
    return key;
  }

  private static String requiredString(JsonObject request, String field) {
    Object value = request.getValue(field);
    if (!(value instanceof String s) || s.isEmpty()) {
      throw MeshFailure.badRequest(field, "must be a non-empty string");
    }
    return s;
  }

  private void checkSize(String field, String value) {
    // UTF-8 length is at most 3 bytes per char: only measure precisely when it could exceed the limit
    if ((long) value.length() * 3 > maxValueBytes
      && value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxValueBytes) {
      throw MeshFailure.badRequest(field, "exceeds the limit of " + maxValueBytes + " bytes");
    }
  }
}
