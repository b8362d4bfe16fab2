package io.meshnode.bootstrap;

import io.meshnode.bootstrap.ConfigShape.ListOf;
import io.meshnode.bootstrap.ConfigShape.Named;
import io.meshnode.bootstrap.ConfigShape.Properties;
import io.meshnode.bootstrap.ConfigShape.Section;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collection;

/**
 * Checks loaded config against {@link ConfigSchema}: the first key the schema does not declare throws an
 * {@link IllegalArgumentException} naming the key's full path and the nearest declared key, e.g. {@code invalid config
 * resilience.circuit_breakers.redis.failure_treshold: unknown key; did you mean failure_threshold?}. Only key names
 * are checked here; values are the settings readers' to validate, and a value of the wrong kind (a list where a
 * mapping belongs) is left to them.
 */
final class UnknownKeys {

  private UnknownKeys() {
  }

  /**
   * Throws on the first key of {@code value} (found at {@code path}, empty for the top) that {@code shape} does not
   * declare.
   *
   * @param source what the message says is invalid: {@code config}, {@code verticles.json}
   */
  static void check(String source, String path, Object value, ConfigShape shape) {
    if (shape instanceof Section section && value instanceof JsonObject json) {
      for (String key : json.fieldNames()) {
        ConfigShape child = section.keys().get(key);
        if (child == null) {
          throw unknown(source, child(path, key), "unknown key", key, section.keys().keySet());
        }
        check(source, child(path, key), json.getValue(key), child);
      }
    } else if (shape instanceof Named named && value instanceof JsonObject json) {
      for (String name : json.fieldNames()) {
        check(source, child(path, name), json.getValue(name), named.entry());
      }
    } else if (shape instanceof ListOf list && value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        check(source, path + "[" + i + "]", array.getValue(i), list.element());
      }
    } else if (shape instanceof Properties properties && value instanceof JsonObject json) {
      for (String key : json.fieldNames()) {
        if (!properties.names().contains(key)) {
          throw unknown(source, child(path, key), "unknown " + properties.library(), key, properties.names());
        }
      }
    }
  }

  /** The path of {@code key} below {@code path}; a key holding a dot is quoted, as in {@code routes."mesh.redis.get"}. */
  static String child(String path, String key) {
    String step = key.indexOf('.') >= 0 ? '"' + key + '"' : key;
    return path.isEmpty() ? step : path + "." + step;
  }

  private static IllegalArgumentException unknown(String source, String fullPath, String rule, String key,
                                                  Collection<String> known) {
    return new IllegalArgumentException("invalid " + source + " " + fullPath + ": " + rule
      + NearestKey.among(key, known).map(nearest -> "; did you mean " + nearest + "?").orElse(""));
  }
}
