package io.meshnode.resilience;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The validated {@code conf/resilience.yaml}: the spec's {@code circuit_breakers}, {@code retry_policies},
 * {@code timeouts} and {@code fallback_strategies}, plus {@code routes}, which maps each public address to them.
 * Every reference is checked: a route naming an unknown breaker fails start-up with the key and the name.
 */
public final class ResilienceConfig {

  /** Fallback kinds a strategy may name in {@code fallback_strategies.<name>.fallback}. */
  public static final String FALLBACK_IN_MEMORY = "in_memory";
  public static final String FALLBACK_CACHED_RESULTS = "cached_results";
  public static final String FALLBACK_LOCAL_QUEUE = "local_queue";

  private final Map<String, BreakerOptions> breakers = new LinkedHashMap<>();
  private final Map<String, RouteOptions> routes = new LinkedHashMap<>();
  private final Map<String, JsonObject> fallbackStrategies = new LinkedHashMap<>();

  private ResilienceConfig() {
  }

  /** Parses and validates the resilience section; throws {@link IllegalArgumentException} naming the bad key. */
  public static ResilienceConfig fromJson(JsonObject json) {
    ResilienceConfig config = new ResilienceConfig();
    JsonObject breakers = ConfigValues.object(json, "resilience", "circuit_breakers");
    breakers.forEach(e -> config.breakers.put(e.getKey(),
      BreakerOptions.fromJson(e.getKey(), ConfigValues.object(breakers, "circuit_breakers", e.getKey()))));
    Map<String, RetryOptions> retries = new LinkedHashMap<>();
    JsonObject retryJson = ConfigValues.object(json, "resilience", "retry_policies");
    retryJson.forEach(e -> retries.put(e.getKey(),
      RetryOptions.fromJson(e.getKey(), ConfigValues.object(retryJson, "retry_policies", e.getKey()))));
    JsonObject timeouts = ConfigValues.object(json, "resilience", "timeouts");
    Map<String, Duration> timeoutByName = new LinkedHashMap<>();
    timeouts.fieldNames().forEach(name ->
      timeoutByName.put(name, ConfigValues.seconds(timeouts, "timeouts", name, null)));
    JsonObject strategies = ConfigValues.object(json, "resilience", "fallback_strategies");
    strategies.forEach(e -> config.fallbackStrategies.put(e.getKey(), validStrategy(strategies, e.getKey())));
    JsonObject routes = ConfigValues.object(json, "resilience", "routes");
    routes.forEach(e -> config.routes.put(e.getKey(),
      config.route(e.getKey(), ConfigValues.object(routes, "routes", e.getKey()), retries, timeoutByName)));
    return config;
  }

  private RouteOptions route(String address, JsonObject json, Map<String, RetryOptions> retries,
                             Map<String, Duration> timeouts) {
    String path = "routes." + address;
    String fallback = json.getString("fallback");
    if (fallback != null && !fallbackStrategies.containsKey(fallback)) {
      throw ConfigValues.invalid(path + ".fallback", fallback, "must name one of fallback_strategies "
        + fallbackStrategies.keySet());
    }
    return new RouteOptions(address,
      ConfigValues.string(json, path, "operation", null),
      lookup(breakers, json, path, "breaker", "circuit_breakers"),
      lookup(retries, json, path, "retry", "retry_policies"),
      lookup(timeouts, json, path, "timeout", "timeouts"),
      fallback);
  }

  private static <T> T lookup(Map<String, T> known, JsonObject json, String path, String key, String section) {
    String name = ConfigValues.string(json, path, key, null);
    T value = known.get(name);
    if (value == null) {
      throw ConfigValues.invalid(path + "." + key, name, "must name one of " + section + " " + known.keySet());
    }
    return value;
  }

  private static JsonObject validStrategy(JsonObject strategies, String name) {
    JsonObject strategy = ConfigValues.object(strategies, "fallback_strategies", name);
    String kind = ConfigValues.string(strategy, "fallback_strategies." + name, "fallback", null);
    if (!kind.equals(FALLBACK_IN_MEMORY) && !kind.equals(FALLBACK_CACHED_RESULTS) && !kind.equals(FALLBACK_LOCAL_QUEUE)) {
      throw ConfigValues.invalid("fallback_strategies." + name + ".fallback", kind,
        "must be one of in_memory, cached_results, local_queue");
    }
    return strategy;
  }

  /** Breakers by dependency name, in declaration order. */
  public Map<String, BreakerOptions> breakers() {
    return breakers;
  }

  /** Routes by public address. */
  public Map<String, RouteOptions> routes() {
    return routes;
  }

  /** The strategy's settings ({@code primary}, {@code fallback}, {@code max_entries}, …), or null. */
  public JsonObject fallbackStrategy(String name) {
    return fallbackStrategies.get(name);
  }
}
