package io.meshnode.resilience;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * One named retry policy, as {@code retry_policies.<name>} declares it: at most {@code maxRetries} retries after the
 * first attempt, the n-th retry waiting {@code initialDelay × backoffFactor^(n-1)} capped at {@code maxDelay}, that is
 * 1 s, 2 s, 4 s… with the spec's values. {@code jitter} j in [0, 1] spreads each delay uniformly over
 * {@code [d × (1 − j), d]} so that many nodes do not retry in step.
 */
public record RetryOptions(String name, int maxRetries, Duration initialDelay, double backoffFactor,
                           Duration maxDelay, double jitter) {

  public static final int DEFAULT_MAX_RETRIES = 3;
  public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofSeconds(1);
  public static final double DEFAULT_BACKOFF_FACTOR = 2.0;
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(30);
  public static final double DEFAULT_JITTER = 0.0;

  /** Reads {@code retry_policies.<name>}, validating every value. */
  public static RetryOptions fromJson(String name, JsonObject json) {
    String path = "retry_policies." + name;
    RetryOptions options = new RetryOptions(name,
      ConfigValues.nonNegativeInt(json, path, "max_retries", DEFAULT_MAX_RETRIES),
      ConfigValues.seconds(json, path, "initial_delay", DEFAULT_INITIAL_DELAY),
      ConfigValues.decimal(json, path, "backoff_factor", DEFAULT_BACKOFF_FACTOR, 1.0, 100.0),
      ConfigValues.seconds(json, path, "max_delay", DEFAULT_MAX_DELAY),
      ConfigValues.decimal(json, path, "jitter", DEFAULT_JITTER, 0.0, 1.0));
    if (options.maxDelay.compareTo(options.initialDelay) < 0) {
      throw ConfigValues.invalid(path + ".max_delay", json.getValue("max_delay"), "must not be below initial_delay");
    }
    return options;
  }

  /**
   * The delay before retry number {@code retry} (1 for the first retry).
   *
   * @param random a source of uniform values in [0, 1), used only when jitter is configured
   */
  public long delayMillis(int retry, DoubleSupplier random) {
    double base = initialDelay.toMillis() * Math.pow(backoffFactor, retry - 1);
    double capped = Math.min(base, maxDelay.toMillis());
    double spread = jitter == 0 ? capped : capped * (1 - jitter * random.getAsDouble());
    return Math.max(1, Math.round(spread));
  }
}
