package io.meshnode;

import io.meshnode.bootstrap.ConfigLoader;
import io.meshnode.bootstrap.DeploymentPlan;
import io.meshnode.bootstrap.MetricsSetup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts one mesh node: loads conf (YAML + environment), reads {@code verticles.json}, deploys it in order and
 * closes Vert.x cleanly on SIGTERM.
 *
 * <pre>java -jar mesh-node.jar [--conf DIR] [--verticles FILE]</pre>
 * Defaults: {@code $MESH_CONF_DIR} or {@code conf}, and {@code $MESH_VERTICLES} or {@code verticles.json};
 * {@code MESH_METRICS_EVENTBUS=true} adds the per-message event-bus meters to {@code /metrics}.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    Path confDir = Path.of(option(args, "--conf", env("MESH_CONF_DIR", "conf")));
    Path verticles = Path.of(option(args, "--verticles", env("MESH_VERTICLES", "verticles.json")));
    boolean eventBusMetrics = Boolean.parseBoolean(env("MESH_METRICS_EVENTBUS", "false"));
    Vertx vertx = MetricsSetup.withMetrics(Vertx.builder(), new VertxOptions(), MetricsSetup.newRegistry(),
      eventBusMetrics).build();
    start(vertx, confDir, verticles)
      .onSuccess(ids -> LOG.info("mesh node started: {} verticle deployment(s)", ids.size()))
      .onFailure(failure -> {
        LOG.error("mesh node failed to start: {}", failure.getMessage());
        vertx.close().onComplete(ar -> System.exit(1));
      });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(vertx), "mesh-node-shutdown"));
  }

  /** Loads config and deploys the plan on {@code vertx}; the deployment ids, in order. */
  public static Future<List<String>> start(Vertx vertx, Path confDir, Path verticlesFile) {
    return ConfigLoader.load(vertx, confDir).compose(config ->
      vertx.fileSystem().readFile(verticlesFile.toString())
        .map(buffer -> DeploymentPlan.fromJson(new JsonObject(buffer)))
        .compose(plan -> plan.deploy(vertx, config)));
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("shutdown: {}", e.toString());
    }
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

}
