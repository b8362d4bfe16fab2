package io.meshnode;

import io.meshnode.bootstrap.ClusterSetup;
import io.meshnode.bootstrap.ConfigLoader;
import io.meshnode.bootstrap.DeploymentPlan;
import io.meshnode.bootstrap.GracefulShutdown;
import io.meshnode.bootstrap.MetricsSetup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Starts one mesh node: loads conf (YAML + environment), reads {@code verticles.json}, deploys the profile's
 * verticles in order, and on SIGTERM (or SIGINT) stops gracefully ({@link GracefulShutdown}) and exits 0.
 *
 * <pre>java -jar mesh-node.jar [--cluster] [--profile full|client] [--conf DIR] [--verticles FILE]</pre>
 * Defaults: {@code $MESH_CONF_DIR} or {@code conf}, {@code $MESH_VERTICLES} or {@code verticles.json},
 * {@code $MESH_PROFILE} or {@code full}. {@code --cluster} joins the Hazelcast cluster of {@code <conf>/cluster.xml}
 * ({@link ClusterSetup}, {@code MESH_CLUSTER_*}); {@code MESH_METRICS_EVENTBUS=true} adds the per-message event-bus
 * meters to {@code /metrics}.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    Path confDir = Path.of(option(args, "--conf", env("MESH_CONF_DIR", "conf")));
    Path verticles = Path.of(option(args, "--verticles", env("MESH_VERTICLES", "verticles.json")));
    String profile = option(args, "--profile", env("MESH_PROFILE", DeploymentPlan.FULL));
    boolean clustered = Arrays.asList(args).contains("--cluster");
    GracefulShutdown shutdown = new GracefulShutdown();
    Runtime.getRuntime().addShutdownHook(new Thread(shutdown::run, "mesh-node-shutdown"));
    onSignal("TERM", shutdown);
    onSignal("INT", shutdown);
    Future<Vertx> vertx = clustered
      ? ClusterSetup.clusteredVertx(confDir.resolve("cluster.xml"), System.getenv())
      : Future.succeededFuture(MetricsSetup.withMetrics(Vertx.builder(), new VertxOptions(),
          MetricsSetup.newRegistry(), Boolean.parseBoolean(env("MESH_METRICS_EVENTBUS", "false"))).build());
    vertx.onSuccess(shutdown::closing)
      .compose(instance -> start(instance, confDir, verticles, profile))
      .onSuccess(ids -> {
        shutdown.undeploying(ids);
        LOG.info("mesh node started: {} verticle deployment(s), profile {}{}", ids.size(), profile,
          clustered ? ", clustered" : "");
      })
      .onFailure(failure -> {
        LOG.error("mesh node failed to start: {}", failure.getMessage());
        Future<Void> closed = vertx.succeeded() ? vertx.result().close() : Future.succeededFuture();
        closed.onComplete(ar -> System.exit(1));
      });
  }

  /** Loads config and deploys the {@code full} profile of the plan on {@code vertx}; the deployment ids, in order. */
  public static Future<List<String>> start(Vertx vertx, Path confDir, Path verticlesFile) {
    return start(vertx, confDir, verticlesFile, DeploymentPlan.FULL);
  }

  /** Loads config and deploys {@code profile} of the plan on {@code vertx}; the deployment ids, in order. */
  public static Future<List<String>> start(Vertx vertx, Path confDir, Path verticlesFile, String profile) {
    return ConfigLoader.load(vertx, confDir).compose(config ->
      vertx.fileSystem().readFile(verticlesFile.toString())
        .map(buffer -> DeploymentPlan.fromJson(new JsonObject(buffer), profile))
        .compose(plan -> plan.deploy(vertx, config)));
  }

  /** SIGTERM/SIGINT: the graceful shutdown, then exit 0 (a JVM ended by the signal itself would exit 128+n). */
  private static void onSignal(String name, GracefulShutdown shutdown) {
    Signal.handle(new Signal(name), signal -> new Thread(() -> {
      LOG.info("SIG{} received", name);
      shutdown.run();
      System.exit(0);
    }, "mesh-node-sig" + name.toLowerCase()).start());
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
