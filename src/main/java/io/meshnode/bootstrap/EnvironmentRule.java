package io.meshnode.bootstrap;

import io.meshnode.bootstrap.ConfigShape.ListOf;
import io.meshnode.bootstrap.ConfigShape.Named;
import io.meshnode.bootstrap.ConfigShape.Properties;
import io.meshnode.bootstrap.ConfigShape.Scalar;
import io.meshnode.bootstrap.ConfigShape.Section;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The one rule by which an environment variable sets any config key: {@code MESH_<SECTION>__<KEY>__<SUBKEY>…}. A
 * double underscore separates levels; each level names a key of {@link ConfigSchema} (or, below a section of
 * user-chosen names, a name the files declare) compared case-insensitively, every character of the key other than a
 * letter or digit read as {@code _}: {@code MESH_RESILIENCE__ROUTES__MESH_REDIS_GET__TIMEOUT} sets
 * {@code resilience.routes."mesh.redis.get".timeout}.
 *
 * <p>The text is typed as the key is declared ({@link EnvironmentValue}). An empty variable counts as unset. A
 * variable that names no key, names a section rather than a value, or holds a malformed value throws an
 * {@link IllegalArgumentException} naming the variable (and the nearest key). Only names starting with
 * {@value #PREFIX} and holding {@value #SEPARATOR} are read: the launcher's own variables are not keys.
 */
final class EnvironmentRule {

  /** Every rule variable starts with this. */
  static final String PREFIX = "MESH_";
  /** Separates the levels of a rule variable. */
  static final String SEPARATOR = "__";

  private record Target(JsonObject parent, String key, String path, ConfigShape shape) {
  }

  private EnvironmentRule() {
  }

  /** Whether {@code variable} is read by this rule. */
  static boolean covers(String variable) {
    return variable.startsWith(PREFIX) && variable.contains(SEPARATOR);
  }

  /** Sets in {@code config} (the shape of {@link ConfigSchema#NODE}) every key a rule variable of {@code env} names. */
  static JsonObject apply(JsonObject config, Map<String, String> env) {
    return apply(config, ConfigSchema.NODE, env, section -> true);
  }

  /**
   * As {@link #apply(JsonObject, Map)}, for a config of {@code shape}, reading only the variables whose first level
   * {@code sections} accepts (the level as written, such as {@code CLUSTER}).
   */
  static JsonObject apply(JsonObject config, Section shape, Map<String, String> env, Predicate<String> sections) {
    new TreeMap<>(env).forEach((variable, text) -> {
      if (!covers(variable)) {
        return;
      }
      String[] levels = variable.substring(PREFIX.length()).split(SEPARATOR, -1);
      if (!sections.test(levels[0])) {
        return;
      }
      Target target = resolve(variable, levels, config, shape);
      if (text != null && !text.isEmpty()) {
        target.parent().put(target.key(), EnvironmentValue.typed(variable, target.path(), text, target.shape()));
      }
    });
    return config;
  }

  /** How a level of a variable spells {@code key}: upper case, every character but a letter or digit as {@code _}. */
  static String level(String key) {
    return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  private static Target resolve(String variable, String[] levels, JsonObject config, ConfigShape shape) {
    JsonObject node = config;
    String path = "";
    for (int i = 0; i < levels.length; i++) {
      Collection<String> candidates;
      if (shape instanceof Section section) {
        candidates = section.keys().keySet();
      } else if (shape instanceof Named) {
        candidates = node.fieldNames();
      } else if (shape instanceof Properties properties) {
        candidates = properties.names();
      } else {
        throw invalid(variable, "unknown key " + UnknownKeys.child(path, levels[i].toLowerCase(Locale.ROOT)) + " ("
          + path + " is a value)");
      }
      String key = match(variable, levels, i, path, candidates);
      path = UnknownKeys.child(path, key);
      shape = shape instanceof Section section ? section.keys().get(key)
        : shape instanceof Named named ? named.entry() : Scalar.STRING;
      if (i == levels.length - 1) {
        if (!(shape instanceof Scalar || shape instanceof ListOf)) {
          throw invalid(variable, path + " is a section, not a value: name one of its keys");
        }
        return new Target(node, key, path, shape);
      }
      Object next = node.getValue(key);
      if (next == null) {
        next = new JsonObject();
        node.put(key, next);
      }
      if (!(next instanceof JsonObject nested)) {
        throw invalid(variable, path + " is not a mapping in the config files");
      }
      node = nested;
    }
    throw invalid(variable, "names no key");
  }

  private static String match(String variable, String[] levels, int index, String path, Collection<String> keys) {
    String wanted = levels[index].toUpperCase(Locale.ROOT);
    List<String> matches = keys.stream().filter(key -> level(key).equals(wanted)).toList();
    if (matches.size() > 1) {
      throw invalid(variable, "level " + levels[index] + " matches several keys of " + path + ": " + matches);
    }
    if (matches.size() == 1) {
      return matches.get(0);
    }
    Map<String, String> byLevel = new TreeMap<>();
    keys.forEach(key -> byLevel.putIfAbsent(level(key), key));
    String suggestion = NearestKey.among(wanted, byLevel.keySet()).map(nearest -> {
      String[] fixed = levels.clone();
      fixed[index] = nearest;
      return "; did you mean " + UnknownKeys.child(path, byLevel.get(nearest)) + " (" + PREFIX
        + String.join(SEPARATOR, fixed) + ")?";
    }).orElse("");
    throw invalid(variable, "unknown key " + UnknownKeys.child(path, levels[index].toLowerCase(Locale.ROOT))
      + suggestion);
  }

  /** The error for {@code variable}: {@code invalid environment <variable>: <problem>}. */
  static IllegalArgumentException invalid(String variable, String problem) {
    return new IllegalArgumentException("invalid environment " + variable + ": " + problem);
  }
}
