package io.meshnode.bootstrap;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.Map;

/**
 * Loads the node's configuration through vertx-config: {@code application.yaml}, then {@code resilience.yaml} under
 * the key {@code resilience}, then the environment variables of {@link EnvironmentOverrides} on top. Verticles receive
 * sections of the result through {@code config()}; they never read files or the environment themselves.
 *
 * <p>Passwords come only from the environment: a {@code password} key in a YAML file stops start-up.
 */
public final class ConfigLoader {

  private ConfigLoader() {
  }

  /** Loads {@code <confDir>/application.yaml} and {@code <confDir>/resilience.yaml} with environment overrides. */
  public static Future<JsonObject> load(Vertx vertx, Path confDir) {
    Future<JsonObject> application = retrieve(vertx, yaml(confDir.resolve("application.yaml")));
    Future<JsonObject> resilience = retrieve(vertx, yaml(confDir.resolve("resilience.yaml")));
    Future<JsonObject> environment = retrieve(vertx, new ConfigStoreOptions().setType("env")
      .setConfig(new JsonObject().put("keys", new JsonArray(EnvironmentOverrides.variables()))));
    return Future.all(application, resilience, environment).map(v -> {
      rejectPasswords(application.result(), confDir.resolve("application.yaml").toString());
      JsonObject config = application.result().copy().put("resilience", resilience.result());
      return EnvironmentOverrides.apply(config, environment.result());
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
