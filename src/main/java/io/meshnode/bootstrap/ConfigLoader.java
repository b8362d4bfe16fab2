package io.meshnode.bootstrap;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Loads the node's configuration through vertx-config: {@code application.yaml}, then {@code resilience.yaml} under
 * the key {@code resilience}, then the environment on top: every {@link EnvironmentRule} variable
 * ({@code MESH_<SECTION>__<KEY>…}), then the short aliases of {@link EnvironmentOverrides}. Verticles receive sections
 * of the result through {@code config()}; they never read files or the environment themselves.
 *
 * <p>Nothing unknown passes: a key of either file that {@link ConfigSchema} does not declare, or a rule variable that
 * names no key, stops start-up with the key's full path and the nearest known key. Passwords come only from the
 * environment: a {@code password} key in a YAML file stops start-up.
 */
public final class ConfigLoader {

  private static final String APPLICATION_FILE = "application.yaml";
  private static final String RESILIENCE_FILE = "resilience.yaml";
  /** What an unknown-key message says is invalid. */
  static final String SOURCE = "config";
  /** The whole environment, each value as the text it is ({@code raw-data}): {@link EnvironmentRule} types it. */
  private static final ConfigStoreOptions ENVIRONMENT = new ConfigStoreOptions().setType("env")
    .setConfig(new JsonObject().put("raw-data", true));

  private ConfigLoader() {
  }

  /** Loads {@code <confDir>/application.yaml} and {@code <confDir>/resilience.yaml} with environment overrides. */
  public static Future<JsonObject> load(Vertx vertx, Path confDir) {
    return retrieve(vertx, ENVIRONMENT).compose(env -> {
      Map<String, String> variables = new HashMap<>();
      env.forEach(entry -> variables.put(entry.getKey(), String.valueOf(entry.getValue())));
      return load(vertx, confDir, variables);
    });
  }

  /** As {@link #load(Vertx, Path)}, with {@code environment} instead of the process's variables. */
  static Future<JsonObject> load(Vertx vertx, Path confDir, Map<String, String> environment) {
    Path applicationFile = confDir.resolve(APPLICATION_FILE);
    Path resilienceFile = confDir.resolve(RESILIENCE_FILE);
    Future<JsonObject> application = retrieve(vertx, yaml(applicationFile));
    Future<JsonObject> resilience = retrieve(vertx, yaml(resilienceFile));
    return Future.all(application, resilience).map(v -> {
      rejectPasswords(application.result(), applicationFile.toString());
      rejectPasswords(resilience.result(), resilienceFile.toString());
      UnknownKeys.check(SOURCE, "", application.result(), ConfigSchema.APPLICATION);
      UnknownKeys.check(SOURCE, ConfigSchema.RESILIENCE_KEY, resilience.result(), ConfigSchema.RESILIENCE);
      JsonObject config = application.result().copy().put(ConfigSchema.RESILIENCE_KEY, resilience.result());
      EnvironmentRule.apply(config, environment);
      return EnvironmentOverrides.apply(config, environment);
    });
  }

  private static ConfigStoreOptions yaml(Path file) {
    return new ConfigStoreOptions().setType("file").setFormat("yaml").setOptional(false)
      .setConfig(new JsonObject().put("path", file.toString()));
  }

  private static Future<JsonObject> retrieve(Vertx vertx, ConfigStoreOptions store) {
    ConfigRetriever retriever = ConfigRetriever.create(vertx,
      new ConfigRetrieverOptions().setScanPeriod(0).addStore(store));
    return retriever.getConfig().andThen(ar -> retriever.close());
  }

  /** Throws naming {@code file} when {@code json} holds a {@code password} key at any depth. */
  static void rejectPasswords(JsonObject json, String file) {
    for (Map.Entry<String, Object> entry : json) {
      if (entry.getKey().equalsIgnoreCase("password") && entry.getValue() != null) {
        throw new IllegalArgumentException("invalid config " + file + ": passwords come only from the environment "
          + "(see README, 'Pointing the node at other services'); remove the 'password' key");
      }
      if (entry.getValue() instanceof JsonObject nested) {
        rejectPasswords(nested, file);
      }
    }
  }
}
