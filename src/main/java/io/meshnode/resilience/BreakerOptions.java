package io.meshnode.resilience;

import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * One named circuit breaker, as {@code circuit_breakers.<name>} in {@code conf/resilience.yaml} declares it.
 *
 * @param name             the dependency it guards, as reported by {@code /health} and {@code circuit_breaker_state}
 * @param failureThreshold consecutive failures that open it
 * @param successThreshold consecutive successful probes in HALF_OPEN that close it; also the most probes let through
 * @param openTimeout      how long it stays OPEN, failing fast, before it lets probes through (HALF_OPEN)
 */
public record BreakerOptions(String name, int failureThreshold, int successThreshold, Duration openTimeout) {

  /** The spec's default: open after 5 failures. */
  public static final int DEFAULT_FAILURE_THRESHOLD = 5;
  /** The spec's default: close after 2 successes in HALF_OPEN. */
  public static final int DEFAULT_SUCCESS_THRESHOLD = 2;
  /** The spec's default: wait 60 s before HALF_OPEN. */
  public static final Duration DEFAULT_OPEN_TIMEOUT = Duration.ofSeconds(60);

  /** Reads {@code circuit_breakers.<name>}, validating every value. */
  public static BreakerOptions fromJson(String name, JsonObject json) {
    return fromJson(name, "circuit_breakers." + name, json);
  }

  /** Reads the same keys from a mapping at another place in the config; errors name {@code path}. */
  public static BreakerOptions fromJson(String name, String path, JsonObject json) {
    return new BreakerOptions(name,
      ConfigValues.positiveInt(json, path, "failure_threshold", DEFAULT_FAILURE_THRESHOLD),
      ConfigValues.positiveInt(json, path, "success_threshold", DEFAULT_SUCCESS_THRESHOLD),
      ConfigValues.seconds(json, path, "timeout", DEFAULT_OPEN_TIMEOUT));
  }
}
