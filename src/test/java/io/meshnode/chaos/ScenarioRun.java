package io.meshnode.chaos;

import io.meshnode.client.MeshClient;
import io.meshnode.client.MeshReply;
import io.meshnode.support.Poll;
import io.meshnode.support.TestNode;
import io.meshnode.support.TopicReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One scenario, start to end, on a node of its own: deploy, wait until healthy, open its pools, load (warm) → fault (hold) → heal →
 * wait until healthy again → load (tail) → stop the load and wait for every answer → wait for the durable queue to
 * drain → read the topic back → scrape {@code /metrics} and {@code /health} → account ({@link ScenarioResult}).
 */
final class ScenarioRun {

  private static final long HEALTHY_AT_START_MILLIS = 30_000;
  /** Requests of each kind that open the pools: the PostgreSQL pool's size. */
  private static final int PRIMERS = 8;
  private static final long RECOVERY_WAIT_BEYOND_BOUND_MILLIS = 20_000;
  private static final long QUEUE_DRAIN_MILLIS = 60_000;
  private static final Duration READ_BACK = Duration.ofSeconds(30);

  private final Scenario scenario;
  private final ChaosScale scale;
  private final long epsilonMillis;
  private final String bootstrapServers;
  private final Consumer<JsonObject> customize;
  private final String topic;
  private Vertx vertx;
  private TestNode node;
  private BreakerWatch watch;
  private LoadDriver load;
  private Scenario.ScenarioContext context;
  private List<Answer> answers;
  private List<TopicReader.Read> records;
  private String metrics;
  private long returnedAt;
  private long recoveredAt = -1;

  ScenarioRun(Scenario scenario, ChaosScale scale, long epsilonMillis, String bootstrapServers,
              Consumer<JsonObject> customize) {
    this.scenario = scenario;
    this.scale = scale;
    this.epsilonMillis = epsilonMillis;
    this.bootstrapServers = bootstrapServers;
    this.customize = customize;
    this.topic = "chaos-" + scenario.name();
  }

  /** How the node's PostgreSQL sessions of this scenario show in pg_stat_activity. */
  static String applicationName(Scenario scenario) {
    return "mesh-chaos-" + scenario.name();
  }

  Future<ScenarioResult> execute() {
    vertx = TestNode.newVertx();
    return TestNode.deploy(vertx, customize)
      .compose(deployed -> {
        node = deployed;
        watch = new BreakerWatch(node, scenario.breaker());
        load = new LoadDriver(vertx, topic);
        context = new Scenario.ScenarioContext(vertx, applicationName(scenario), scale, node, new AtomicInteger());
        return watch.start();
      })
      .compose(v -> awaitHealthy())
      .compose(v -> primePools())
      .compose(v -> awaitHealthy())
      .compose(v -> {
        load.start(scale.intervalMillis());
        return vertx.timer(scale.warmMillis());
      })
      .compose(v -> scenario.inject().apply(context))
      .compose(v -> vertx.timer(scale.holdMillis()))
      .compose(v -> scenario.heal().apply(context))
      .compose(v -> {
        returnedAt = System.currentTimeMillis();
        return Poll.until(vertx, "the node healthy again", recoveryBoundMillis() + RECOVERY_WAIT_BEYOND_BOUND_MILLIS,
          this::recovered).onSuccess(ok -> recoveredAt = System.currentTimeMillis()).otherwiseEmpty();
      })
      .compose(v -> vertx.timer(scale.tailMillis()))
      .compose(v -> load.stop(maxDeadlineMillis(deadlines().keySet()) + epsilonMillis + 2_000))
      .compose(answered -> {
        answers = answered;
        return Poll.until(vertx, "the durable queue drained", QUEUE_DRAIN_MILLIS, () -> node.health()
          .map(health -> health.getJsonObject("queue").getLong("depth", -1L) == 0)).otherwiseEmpty();
      })
      .compose(v -> vertx.executeBlocking(() -> readBack(acknowledgedIds())))
      .compose(read -> {
        records = read;
        return node.metrics();
      })
      .compose(scraped -> {
        metrics = scraped;
        return node.health();
      })
      .compose(health -> watch.stop().map(v -> ScenarioResult.account(new ScenarioResult.Observation(scenario,
        answers, deadlines(), epsilonMillis, records, watch, metrics, health.getString("status"), returnedAt,
        recoveredAt, recoveryBoundMillis(), successThreshold(), context.poisoned().get(),
        health.getJsonObject("queue").getLong("dead", 0L)))));
  }

  /** Closes the scenario's node (its Vert.x); call it from the test thread once {@link #execute()} is done. */
  Future<Void> close() {
    return vertx.close();
  }

  private Future<Void> awaitHealthy() {
    return Poll.until(vertx, "the node healthy before the scenario", HEALTHY_AT_START_MILLIS,
      () -> node.health().map(health -> "healthy".equals(health.getString("status"))));
  }

  /**
   * Opens the fresh node's PostgreSQL and Redis connections before the load: on the loaded machine a new pool's first
   * sessions took longer than the 2 s deadline, which is a cold start, not the fault under test.
   */
  private Future<Void> primePools() {
    MeshClient mesh = MeshClient.create(vertx);
    List<Future<MeshReply>> primers = new ArrayList<>();
    for (int i = 0; i < PRIMERS; i++) {
      primers.add(mesh.postgres().query("count_events"));
      primers.add(mesh.redis().get("chaos:primer"));
    }
    return Future.join(primers).otherwiseEmpty().mapEmpty();
  }

  /** Healthy, the breaker closed, and — when the fault must open it — its last transition a close. */
  private Future<Boolean> recovered() {
    return node.health().map(health -> "healthy".equals(health.getString("status"))
      && "closed".equals(health.getJsonObject("circuit_breakers").getString(scenario.breaker()))
      && (!scenario.expectsOpen() || watch.lastIs("closed")));
  }

  private Set<String> acknowledgedIds() {
    return answers.stream().map(Answer::messageId).filter(id -> id != null).collect(Collectors.toSet());
  }

  private List<TopicReader.Read> readBack(Set<String> ids) {
    return TopicReader.readUntil(bootstrapServers, topic, read -> read.stream().map(TopicReader.Read::messageId)
      .collect(Collectors.toSet()).containsAll(ids), READ_BACK);
  }

  /** The configured deadline of every public address. */
  private Map<String, Long> deadlines() {
    JsonObject resilience = node.config().getJsonObject("resilience");
    Map<String, Long> deadlines = new TreeMap<>();
    resilience.getJsonObject("routes").forEach(route -> deadlines.put(route.getKey(), Math.round(1_000
      * resilience.getJsonObject("timeouts").getDouble(((JsonObject) route.getValue()).getString("timeout")))));
    return deadlines;
  }

  private long maxDeadlineMillis(Set<String> addresses) {
    Map<String, Long> deadlines = deadlines();
    return addresses.stream().mapToLong(deadlines::get).max().orElse(0);
  }

  private JsonObject breakerConfig() {
    return node.config().getJsonObject("resilience").getJsonObject("circuit_breakers")
      .getJsonObject(scenario.breaker());
  }

  /** Back within the breaker's open timeout + the dependency's longest deadline (a probe in flight) + ε. */
  private long recoveryBoundMillis() {
    return Math.round(1_000 * breakerConfig().getDouble("timeout")) + maxDeadlineMillis(scenario.addresses())
      + epsilonMillis;
  }

  private int successThreshold() {
    return breakerConfig().getInteger("success_threshold");
  }
}
