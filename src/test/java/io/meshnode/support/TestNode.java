package io.meshnode.support;

import io.meshnode.bootstrap.ConfigLoader;
import io.meshnode.bootstrap.DeploymentPlan;
import io.meshnode.bootstrap.MetricsSetup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * One mesh node deployed in the test JVM exactly as {@code Main} deploys it — the shipped {@code conf/} and
 * {@code verticles.json} — with test overrides: a free HTTP port, its own durable queue file, and short breaker,
 * retry and timeout durations so that time-dependent behaviour runs in a second, not a minute.
 */
public final class TestNode {

  /** A Kafka address nothing listens on, for tests about the other dependencies (the node starts regardless). */
  public static final String UNREACHABLE_KAFKA = "127.0.0.1:1";

  private final Vertx vertx;
  private final JsonObject config;
  private final WebClient http;
  private final List<String> deploymentIds;

  private TestNode(Vertx vertx, JsonObject config, List<String> deploymentIds) {
    this.vertx = vertx;
    this.config = config;
    this.http = WebClient.create(vertx);
    this.deploymentIds = List.copyOf(deploymentIds);
  }

  /** A Vert.x instance with the node's Prometheus metrics, as {@code Main} creates it. */
  public static Vertx newVertx() {
    return MetricsSetup.withMetrics(Vertx.builder(), new VertxOptions(), MetricsSetup.newRegistry()).build();
  }

  /** A pool on the machine's PostgreSQL (the shipped conf's), for a test to look at the database behind the node. */
  public static Pool adminPool(Vertx vertx) {
    return PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(5432)
      .setDatabase("test").setUser("postgres")).using(vertx).build();
  }

  /** Deploys a node whose config is the shipped one, made fast, then changed by {@code customize}. */
  public static Future<TestNode> deploy(Vertx vertx, Consumer<JsonObject> customize) {
    return vertx.fileSystem().readFile("verticles.json")
      .compose(buffer -> deploy(vertx, new JsonObject(buffer), customize));
  }

  /** As {@link #deploy(Vertx, Consumer)}, with another deployment descriptor than {@code verticles.json}. */
  public static Future<TestNode> deploy(Vertx vertx, JsonObject descriptor, Consumer<JsonObject> customize) {
    return deploy(vertx, DeploymentPlan.fromJson(descriptor), customize);
  }

  /** As {@link #deploy(Vertx, Consumer)}, deploying {@code profile} of {@code verticles.json}. */
  public static Future<TestNode> deploy(Vertx vertx, String profile, Consumer<JsonObject> customize) {
    return vertx.fileSystem().readFile("verticles.json")
      .compose(buffer -> deploy(vertx, DeploymentPlan.fromJson(new JsonObject(buffer), profile), customize));
  }

  private static Future<TestNode> deploy(Vertx vertx, DeploymentPlan plan, Consumer<JsonObject> customize) {
    return ConfigLoader.load(vertx, Path.of("conf")).compose(config -> {
      makeFast(config);
      customize.accept(config);
      return plan.deploy(vertx, config).map(ids -> new TestNode(vertx, config, ids));
    });
  }

  private static void makeFast(JsonObject config) {
    config.getJsonObject("web").put("port", FreePort.find()).put("host", "127.0.0.1");
    config.getJsonObject("kafka").put("queue_path", tempDir().resolve("queue.db").toString());
    makeDurationsFast(config);
  }

  /**
   * Shortens the durations of a whole node config (the shape {@code ConfigLoader} returns): replay and probe
   * intervals, producer timeouts, breaker timeouts, retry delays and operation timeouts, so that time-dependent
   * behaviour runs in a second, not a minute.
   */
  public static void makeDurationsFast(JsonObject config) {
    config.getJsonObject("kafka").put("replay_interval_ms", 100)
      .put("producer", new JsonObject().put("max.block.ms", "1000").put("request.timeout.ms", "1000")
        .put("delivery.timeout.ms", "2000"));
    config.getJsonObject("kafka").put("probe_interval_ms", 200);
    config.getJsonObject("postgres").put("probe_interval_ms", 200);
    config.getJsonObject("redis").put("probe_interval_ms", 200);
    JsonObject resilience = config.getJsonObject("resilience");
    resilience.getJsonObject("circuit_breakers").forEach(e -> ((JsonObject) e.getValue()).put("timeout", 1));
    resilience.getJsonObject("retry_policies").forEach(e -> ((JsonObject) e.getValue())
      .put("initial_delay", 0.05).put("max_delay", 0.2));
    resilience.getJsonObject("timeouts").put("kafka_publish", 5).put("database_query", 2).put("redis_operation", 1)
      .put("kafka_consume", 1);
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("mesh-node-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a blocking step of a test (stopping or freezing a process) on a worker, never on an event loop. */
  public static Future<Void> blocking(Vertx vertx, Runnable action) {
    return vertx.executeBlocking(() -> {
      action.run();
      return null;
    });
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The deployment ids, in plan order. */
  public List<String> deploymentIds() {
    return deploymentIds;
  }

  /** The config the node was deployed with. */
  public JsonObject config() {
    return config;
  }

  public int httpPort() {
    return config.getJsonObject("web").getInteger("port");
  }

  /** GET {@code /health} as JSON. */
  public Future<JsonObject> health() {
    return http.get(httpPort(), "127.0.0.1", "/health").send().map(response -> response.bodyAsJsonObject());
  }

  /** GET {@code /metrics} as Prometheus text. */
  public Future<String> metrics() {
    return http.get(httpPort(), "127.0.0.1", "/metrics").send().map(response -> response.bodyAsString());
  }

  /** The value of the Prometheus sample {@code series} (name with labels, as printed), or -1 when absent. */
  public static double sample(String metrics, String series) {
    return metrics.lines().filter(line -> line.startsWith(series + " "))
      .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
      .findFirst().orElse(-1);
  }
}
