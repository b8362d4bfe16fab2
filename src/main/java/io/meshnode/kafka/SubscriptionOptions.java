package io.meshnode.kafka;

import io.meshnode.resilience.BreakerOptions;
import io.meshnode.resilience.ConfigValues;
import io.meshnode.resilience.RetryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One entry of {@code kafka.subscriptions}: which records to consume and the bus address they are delivered to.
 *
 * @param name            label of the subscription in {@code /health} and metrics ({@code name}, default the group)
 * @param topic           the topic to consume, or null when {@code pattern} is given (exactly one of the two)
 * @param pattern         a Java regular expression of topic names, or null
 * @param group           the Kafka consumer group
 * @param address         the event-bus address each record is sent to as a request; the reply acknowledges it
 * @param concurrency     records in flight per partition; 1 (the default) keeps the partition's order
 * @param maxInFlight     records fetched and not yet acknowledged per partition above which the partition is paused
 * @param retry           the {@code resilience.retry_policies} entry named by {@code retry} (default {@code kafka})
 * @param deadLetterTopic where a record goes once its retries are exhausted (required)
 * @param breaker         the delivery address's breaker ({@code breaker}: failure_threshold, success_threshold, timeout)
 * @param deliveryTimeout how long a handler has to reply: {@code resilience.timeouts.kafka_consume}
 */
public record SubscriptionOptions(String name, String topic, String pattern, String group, String address,
                                  int concurrency, int maxInFlight, RetryOptions retry, String deadLetterTopic,
                                  BreakerOptions breaker, Duration deliveryTimeout) {

  /** Records in flight per partition unless {@code concurrency} says otherwise: one, in order. */
  public static final int DEFAULT_CONCURRENCY = 1;
  /** Unacknowledged records per partition above which fetching from it pauses. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 500;
  /** The retry policy used unless {@code retry} names another. */
  public static final String DEFAULT_RETRY_POLICY = "kafka";
  /** The handler's time limit unless {@code resilience.timeouts.kafka_consume} is set (the spec's 60 s). */
  public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Reads and validates {@code kafka.subscriptions} (absent: none) against the {@code resilience} section; throws
   * {@link IllegalArgumentException} naming the key and the bad value.
   */
  public static List<SubscriptionOptions> listFromConfig(JsonObject kafka, JsonObject resilience) {
    Object value = kafka.getValue("subscriptions");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray entries)) {
      throw ConfigValues.invalid("kafka.subscriptions", value, "must be a list");
    }
    JsonObject timeouts = resilience.getJsonObject("timeouts", new JsonObject());
    Duration timeout = ConfigValues.seconds(timeouts, "resilience.timeouts", "kafka_consume", DEFAULT_DELIVERY_TIMEOUT);
    JsonObject policies = resilience.getJsonObject("retry_policies", new JsonObject());
    List<SubscriptionOptions> subscriptions = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      String path = "kafka.subscriptions[" + i + "]";
      if (!(entries.getValue(i) instanceof JsonObject json)) {
        throw ConfigValues.invalid(path, entries.getValue(i), "must be a mapping");
      }
      SubscriptionOptions options = fromJson(path, json, policies, timeout);
      if (!names.add(options.name())) {
        throw ConfigValues.invalid(path + ".name", options.name(), "must be unique among subscriptions");
      }
      subscriptions.add(options);
    }
    return subscriptions;
  }

  private static SubscriptionOptions fromJson(String path, JsonObject json, JsonObject policies, Duration timeout) {
    String topic = json.getValue("topic") == null ? null : ConfigValues.string(json, path, "topic", null);
    String pattern = json.getValue("pattern") == null ? null : ConfigValues.string(json, path, "pattern", null);
    if ((topic == null) == (pattern == null)) {
      throw ConfigValues.invalid(path + ".topic", topic, "exactly one of topic and pattern is required");
    }
    if (pattern != null) {
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        throw ConfigValues.invalid(path + ".pattern", pattern, "must be a regular expression (" + e.getDescription() + ")");
      }
    }
    String group = ConfigValues.string(json, path, "group", null);
    int concurrency = ConfigValues.positiveInt(json, path, "concurrency", DEFAULT_CONCURRENCY);
    int maxInFlight = ConfigValues.positiveInt(json, path, "max_in_flight", Math.max(DEFAULT_MAX_IN_FLIGHT, concurrency));
    if (maxInFlight < concurrency) {
      throw ConfigValues.invalid(path + ".max_in_flight", maxInFlight, "must not be below concurrency " + concurrency);
    }
    String retryName = ConfigValues.string(json, path, "retry", DEFAULT_RETRY_POLICY);
    if (!(policies.getValue(retryName) instanceof JsonObject policy)) {
      throw ConfigValues.invalid(path + ".retry", retryName, "must name one of retry_policies " + policies.fieldNames());
    }
    String address = ConfigValues.string(json, path, "address", null);
    Object breaker = json.getValue("breaker", new JsonObject());
    if (!(breaker instanceof JsonObject breakerJson)) {
      throw ConfigValues.invalid(path + ".breaker", breaker, "must be a mapping");
    }
    return new SubscriptionOptions(ConfigValues.string(json, path, "name", group), topic, pattern, group, address,
      concurrency, maxInFlight, RetryOptions.fromJson(retryName, policy),
      ConfigValues.string(json, path, "dead_letter_topic", null),
      BreakerOptions.fromJson(address, path + ".breaker", breakerJson), timeout);
  }

  /** What is consumed, for logs and {@code /health}: the topic, or the pattern. */
  public String source() {
    return topic != null ? topic : pattern;
  }
}
