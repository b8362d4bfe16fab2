package io.meshnode.resilience;

import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * Reads and validates configuration values, naming the full key and the bad value in every error so that a node
 * with invalid config stops at start-up with a message an operator can act on.
 */
public final class ConfigValues {

  private ConfigValues() {
  }

  /** The JSON object at {@code key}, failing with the key's path when it is missing or not an object. */
  public static JsonObject object(JsonObject parent, String path, String key) {
    Object value = parent == null ? null : parent.getValue(key);
    if (!(value instanceof JsonObject)) {
      throw invalid(path + "." + key, value, "must be a mapping");
    }
    return (JsonObject) value;
  }

  /** A positive integer, or {@code def} when absent. */
  public static int positiveInt(JsonObject json, String path, String key, int def) {
    return (int) number(json, path, key, def, 1, Integer.MAX_VALUE, true);
  }

  /** A non-negative integer, or {@code def} when absent. */
  public static int nonNegativeInt(JsonObject json, String path, String key, int def) {
    return (int) number(json, path, key, def, 0, Integer.MAX_VALUE, true);
  }

  /** A number within {@code [min, max]}, or {@code def} when absent. */
  public static double decimal(JsonObject json, String path, String key, double def, double min, double max) {
    return number(json, path, key, def, min, max, false);
  }

  /** A positive duration given in (possibly fractional) seconds, as the spec writes them. */
  public static Duration seconds(JsonObject json, String path, String key, Duration def) {
    double seconds = number(json, path, key, def == null ? Double.NaN : def.toNanos() / 1e9, 0.001, 86_400, false);
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }

  /** A non-blank string, or {@code def} when absent ({@code def} null means required). */
  public static String string(JsonObject json, String path, String key, String def) {
    Object value = json.getValue(key);
    if (value == null && def != null) {
      return def;
    }
    if (!(value instanceof String) || ((String) value).isBlank()) {
      throw invalid(path + "." + key, value, "must be a non-empty string");
    }
    return (String) value;
  }

  /** The error thrown for an invalid value. */
  public static IllegalArgumentException invalid(String fullKey, Object value, String rule) {
    return new IllegalArgumentException("invalid config " + fullKey + ": " + rule + ", got " + describe(value));
  }

  private static double number(JsonObject json, String path, String key, double def, double min, double max,
                               boolean integral) {
    Object value = json.getValue(key);
    if (value == null) {
      if (Double.isNaN(def)) {
        throw invalid(path + "." + key, null, "is required");
      }
      return def;
    }
    String rule = (integral ? "must be an integer" : "must be a number") + " in [" + fmt(min) + ", " + fmt(max) + "]";
    if (!(value instanceof Number)) {
      throw invalid(path + "." + key, value, rule);
    }
    double d = ((Number) value).doubleValue();
    if (Double.isNaN(d) || d < min || d > max || (integral && d != Math.rint(d))) {
      throw invalid(path + "." + key, value, rule);
    }
    return d;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  private static String describe(Object value) {
    return value == null ? "nothing" : value instanceof String ? "'" + value + "'" : String.valueOf(value);
  }
}
