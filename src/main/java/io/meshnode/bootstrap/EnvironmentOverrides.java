package io.meshnode.bootstrap;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The short environment variables kept as aliases of config keys ({@code MESH_HTTP_PORT} for {@code web.port}), and
 * the key each one sets. They are applied after {@link EnvironmentRule}'s variables, so an alias wins over the rule's
 * name for the same key. This is the only place the names appear; the README's configuration reference lists the same
 * table.
 */
public final class EnvironmentOverrides {

  private record Override(String section, String key, boolean integer) {
  }

  private static final Map<String, Override> VARIABLES = new LinkedHashMap<>();

  static {
    VARIABLES.put("MESH_HTTP_PORT", new Override("web", "port", true));
    VARIABLES.put("MESH_HTTP_HOST", new Override("web", "host", false));
    VARIABLES.put("MESH_KAFKA_BOOTSTRAP_SERVERS", new Override("kafka", "bootstrap_servers", false));
    VARIABLES.put("MESH_KAFKA_QUEUE_PATH", new Override("kafka", "queue_path", false));
    VARIABLES.put("MESH_PG_HOST", new Override("postgres", "host", false));
    VARIABLES.put("MESH_PG_PORT", new Override("postgres", "port", true));
    VARIABLES.put("MESH_PG_DATABASE", new Override("postgres", "database", false));
    VARIABLES.put("MESH_PG_USER", new Override("postgres", "user", false));
    VARIABLES.put("MESH_PG_PASSWORD", new Override("postgres", "password", false));
    VARIABLES.put("MESH_REDIS_URL", new Override("redis", "url", false));
    VARIABLES.put("MESH_REDIS_PASSWORD", new Override("redis", "password", false));
  }

  private EnvironmentOverrides() {
  }

  /** The alias names. */
  public static List<String> variables() {
    return List.copyOf(VARIABLES.keySet());
  }

  /** Applies the variables present in {@code env} to {@code config}; a malformed number names the variable. */
  public static JsonObject apply(JsonObject config, Map<String, String> env) {
    VARIABLES.forEach((variable, target) -> {
      String raw = env.get(variable);
      if (raw == null || raw.isEmpty()) {
        return;
      }
      JsonObject section = config.getJsonObject(target.section());
      if (section == null) {
        section = new JsonObject();
        config.put(target.section(), section);
      }
      section.put(target.key(), target.integer() ? integer(variable, raw) : raw);
    });
    return config;
  }

  private static int integer(String variable, String raw) {
    try {
      return Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid environment " + variable + ": must be an integer, got '" + raw + "'");
    }
  }
}
