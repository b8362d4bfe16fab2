package io.meshnode.bench;

import io.meshnode.bootstrap.ConfigLoader;
import io.meshnode.bootstrap.DeploymentPlan;
import io.meshnode.bootstrap.MetricsSetup;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A mesh node deployed in the harness's JVM the way {@code Main} deploys it: a Vert.x instance with the node's
 * Prometheus metrics, the shipped {@code conf/} (resilience timeouts, breakers and retries as shipped) and
 * {@code verticles.json}, changed only by the overrides a run needs (a free HTTP port, its own queue file, the
 * broker's address) and by the scenario's {@code customize}.
 */
final class MeshNode implements AutoCloseable {

  private final Vertx vertx;
  private final JsonObject config;

  private MeshNode(Vertx vertx, JsonObject config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** A Vert.x instance as {@code Main} creates it. */
  static Vertx newVertx() {
    return MetricsSetup.withMetrics(Vertx.builder(), new VertxOptions(), MetricsSetup.newRegistry()).build();
  }

  /**
   * Deploys a node on a new Vert.x instance.
   *
   * @param without verticle classes left out of the plan (wherever the descriptor names them)
   */
  static MeshNode deploy(BenchOptions options, String kafkaBootstrap, Set<String> without,
                         Consumer<JsonObject> customize) {
    return deploy(options, kafkaBootstrap, without, Map.of(), customize);
  }

  /**
   * As {@link #deploy(BenchOptions, String, Set, Consumer)}, with some verticle classes replaced by others in the
   * descriptor (same place, same group, same config sections).
   */
  static MeshNode deploy(BenchOptions options, String kafkaBootstrap, Set<String> without,
                         Map<String, String> replacements, Consumer<JsonObject> customize) {
    Vertx vertx = newVertx();
    try {
      JsonObject config = Wait.on(ConfigLoader.load(vertx, options.confDir()), "load " + options.confDir());
      config.getJsonObject("web").put("host", "127.0.0.1").put("port", freePort());
      config.getJsonObject("kafka").put("bootstrap_servers", kafkaBootstrap)
        .put("queue_path", tempDir("mesh-bench-queue").resolve("queue.db").toString());
      customize.accept(config);
      String text = Files.readString(options.verticles());
      for (Map.Entry<String, String> replacement : replacements.entrySet()) {
        text = text.replace('"' + replacement.getKey() + '"', '"' + replacement.getValue() + '"');
      }
      JsonObject descriptor = new JsonObject(text);
      DeploymentPlan plan = DeploymentPlan.fromJson(withoutClasses(descriptor, without));
      Wait.on(plan.deploy(vertx, config), "deploy the mesh node");
      return new MeshNode(vertx, config);
    } catch (IOException e) {
      Wait.on(vertx.close(), "close Vert.x");
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      Wait.on(vertx.close(), "close Vert.x");
      throw e;
    }
  }

  Vertx vertx() {
    return vertx;
  }

  JsonObject config() {
    return config;
  }

  @Override
  public void close() {
    Wait.on(vertx.close(), "close the node's Vert.x");
  }

  /**
   * The descriptor without the given classes, whether an entry names one as {@code class} or a group lists it
   * among its classes; entries left empty are dropped.
   */
  static JsonObject withoutClasses(JsonObject descriptor, Set<String> classes) {
    if (classes.isEmpty()) {
      return descriptor;
    }
    return (JsonObject) strip(descriptor.copy(), classes);
  }

  private static Object strip(Object json, Set<String> classes) {
    if (json instanceof JsonObject object) {
      if (object.getValue("class") instanceof String name && classes.contains(name)) {
        return null;
      }
      JsonObject out = new JsonObject();
      for (String key : object.fieldNames()) {
        Object value = strip(object.getValue(key), classes);
        if (value instanceof JsonArray array && array.isEmpty() && !(object.getValue(key) instanceof JsonArray a
          && a.isEmpty())) {
          return null; // a group whose every member was removed
        }
        out.put(key, value);
      }
      return out;
    }
    if (json instanceof JsonArray array) {
      JsonArray out = new JsonArray();
      for (Object item : array) {
        if (item instanceof String name && classes.contains(name)) {
          continue;
        }
        Object value = strip(item, classes);
        if (value != null) {
          out.add(value);
        }
      }
      return out;
    }
    return json;
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path tempDir(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
