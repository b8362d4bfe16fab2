package io.meshnode.chaos;

import io.meshnode.bootstrap.ConfigLoader;
import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshField;
import io.meshnode.contract.QueueAdmin;
import io.meshnode.support.Poll;
import io.meshnode.support.Signals;
import io.meshnode.support.TcpProxy;
import io.meshnode.support.TestKafka;
import io.meshnode.support.TestNode;
import io.meshnode.support.TestRedis;
import io.meshnode.tools.LocalKafkaBroker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos suite of issue 5: a load of requests to every public address runs through a node while one dependency at a
 * time is killed, frozen, slowed or has its sessions terminated; every request, every acknowledged Kafka message and
 * the breaker's path are accounted for ({@link ScenarioResult}) and written to a table ({@link ReliabilityTable}).
 * The dependencies are the test's own: a redis-server, a Kafka broker, and the {@value ChaosPostgres#NAME} database
 * and role on the machine's PostgreSQL reached through a {@link TcpProxy} (the server itself is never signalled).
 * Short form in {@code mvn verify}, full form with {@code mvn verify -Pchaos} ({@link ChaosScale}).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class DependencyChaosIT {

  private static final Logger LOG = LoggerFactory.getLogger(DependencyChaosIT.class);
  /** Slack allowed over a configured deadline (answers) and over a recovery bound, for a loaded 2-CPU machine. */
  static final long EPSILON_MILLIS = 1_000;
  private static final long SCENARIO_MINUTES = 5;
  private static final long WARM_UP_MILLIS = 2_000;
  private static final Set<String> REDIS = Set.of(MeshAddress.REDIS_GET, MeshAddress.REDIS_SET, MeshAddress.REDIS_DEL);
  private static final Set<String> POSTGRES = Set.of(MeshAddress.PG_QUERY);
  private static final Set<String> KAFKA = Set.of(MeshAddress.KAFKA_PUBLISH);

  private static final ChaosScale SCALE = ChaosScale.fromSystemProperties();
  private static final ReliabilityTable TABLE = new ReliabilityTable();
  private static final TestRedis REDIS_SERVER = new TestRedis();
  private static LocalKafkaBroker broker;
  private static Vertx infra;
  private static TcpProxy proxy;
  private static ChaosPostgres postgres;
  private static boolean proxyCut;
  private static long terminator = -1;
  /** The topic poison goes to, and the record size it takes. */
  private static final String POISON_TOPIC = "chaos-poison";
  private static final int POISON_TOPIC_MAX_BYTES = 1024;
  private static final long POISON_INTERVAL_MILLIS = 250;
  private static final List<Future<Void>> poisonSent = new CopyOnWriteArrayList<>();
  private static long poisoner = -1;

  @BeforeAll
  static void startDependencies() throws Exception {
    REDIS_SERVER.start();
    broker = TestKafka.ownBroker();
    broker.start();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(POISON_TOPIC, 1, (short) 1)
        .configs(Map.of("max.message.bytes", Integer.toString(POISON_TOPIC_MAX_BYTES))))).all().get();
    }
    infra = Vertx.vertx();
    proxy = new TcpProxy(infra, ChaosPostgres.PORT);
    proxy.open().await(10, TimeUnit.SECONDS);
    JsonObject conf = ConfigLoader.load(infra, Path.of("conf")).await(30, TimeUnit.SECONDS);
    postgres = ChaosPostgres.prepare(infra, conf.getJsonObject("postgres").getJsonArray("schema"))
      .await(60, TimeUnit.SECONDS);
    warmUp();
  }

  /**
   * A few seconds of load through a node before the first scenario, not recorded: the first scenario of a fresh JVM
   * otherwise pays class loading, JIT and the first PostgreSQL sessions inside its deadlines.
   */
  private static void warmUp() throws Exception {
    Vertx vertx = TestNode.newVertx();
    try {
      TestNode.deploy(vertx, nodeConfig("mesh-chaos-warm-up")).await(60, TimeUnit.SECONDS);
      LoadDriver load = new LoadDriver(vertx, "chaos-warm-up");
      load.start(SCALE.intervalMillis());
      vertx.timer(WARM_UP_MILLIS).await(60, TimeUnit.SECONDS);
      load.stop(10_000).await(60, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  @AfterEach
  void restoreDependencies() throws Exception {
    infra.cancelTimer(terminator);
    poisonSent.clear();
    proxy.resume();
    if (proxyCut) {
      proxy.open().await(10, TimeUnit.SECONDS);
      proxyCut = false;
    }
    postgres.unlockEvents().await(10, TimeUnit.SECONDS);
    try {
      REDIS_SERVER.thaw();
    } catch (RuntimeException notRunning) {
      LOG.debug("redis-server not running: {}", notRunning.getMessage());
    }
    if (!REDIS_SERVER.isListening()) {
      REDIS_SERVER.start();
    }
    if (broker.isRunning()) {
      Signals.send(broker.pid(), "-CONT", "Kafka broker");
    } else {
      broker.start();
    }
  }

  @AfterAll
  static void report() throws Exception {
    String table = TABLE.render(SCALE, EPSILON_MILLIS, SCENARIO_ORDER);
    LOG.info("chaos suite ({} form):\n{}", SCALE.name(), table);
    ReliabilityTable.write(ReliabilityTable.target(), table);
    if (proxy != null) {
      proxy.cut().await(10, TimeUnit.SECONDS);
    }
    if (postgres != null) {
      postgres.close().await(10, TimeUnit.SECONDS);
    }
    REDIS_SERVER.stop();
    if (broker != null) {
      broker.stop();
    }
    infra.close().await(30, TimeUnit.SECONDS);
  }

  private static final List<String> SCENARIO_ORDER = List.of("redis-kill", "redis-freeze", "redis-slow", "pg-kill",
    "pg-freeze", "pg-slow", "pg-terminate", "kafka-kill", "kafka-freeze", "kafka-poison");

  private static Future<Void> blocking(Scenario.ScenarioContext ctx, Runnable action) {
    return TestNode.blocking(ctx.vertx(), action);
  }

  @Test
  @DisplayName("redis-server killed (SIGKILL) and restarted under load")
  void redisKilled() throws Exception {
    run(new Scenario("redis-kill", "redis", REDIS, "redis-server SIGKILL, restarted on the same port",
      ctx -> blocking(ctx, REDIS_SERVER::stop), ctx -> blocking(ctx, REDIS_SERVER::start), true));
  }

  @Test
  @DisplayName("redis-server frozen (SIGSTOP, SIGCONT) under load")
  void redisFrozen() throws Exception {
    run(new Scenario("redis-freeze", "redis", REDIS, "redis-server SIGSTOP, then SIGCONT",
      ctx -> blocking(ctx, REDIS_SERVER::freeze), ctx -> blocking(ctx, REDIS_SERVER::thaw), true));
  }

  @Test
  @DisplayName("redis-server slowed past its operation timeout (CLIENT PAUSE ALL) under load")
  void redisSlowed() throws Exception {
    run(new Scenario("redis-slow", "redis", REDIS, "CLIENT PAUSE <hold> ALL: every command held, then served",
      ctx -> blocking(ctx, () -> REDIS_SERVER.pauseClients(ctx.scale().holdMillis())), ctx -> Future.succeededFuture(),
      true));
  }

  @Test
  @DisplayName("PostgreSQL made unreachable (proxy cut: connections reset, port dead) and back under load")
  void postgresKilled() throws Exception {
    run(new Scenario("pg-kill", "database", POSTGRES, "TCP proxy closed: every connection reset, port refused",
      ctx -> {
        proxyCut = true;
        return proxy.cut();
      },
      ctx -> proxy.open().onSuccess(v -> proxyCut = false), true));
  }

  @Test
  @DisplayName("PostgreSQL frozen (proxy stalls every connection) and resumed under load")
  void postgresFrozen() throws Exception {
    run(new Scenario("pg-freeze", "database", POSTGRES,
      "TCP proxy stalls: connections stay open, nothing forwarded, new ones accepted and never answered",
      ctx -> blocking(ctx, proxy::stall), ctx -> blocking(ctx, proxy::resume), true));
  }

  @Test
  @DisplayName("PostgreSQL slowed past its operation timeout (a lock every statement waits on) under load")
  void postgresSlowed() throws Exception {
    run(new Scenario("pg-slow", "database", POSTGRES,
      "ACCESS EXCLUSIVE lock on mesh_events held by the test's session: every statement waits, then runs",
      ctx -> postgres.lockEvents(), ctx -> postgres.unlockEvents(), true));
  }

  @Test
  @DisplayName("PostgreSQL sessions of the node terminated (pg_terminate_backend) again and again under load")
  void postgresSessionsTerminated() throws Exception {
    run(new Scenario("pg-terminate", "database", POSTGRES,
      "pg_terminate_backend of every session of the node, every 250 ms while the fault lasts",
      ctx -> {
        terminator = infra.setPeriodic(250, id -> postgres.terminate(ctx.applicationName()));
        return Future.succeededFuture();
      },
      ctx -> {
        infra.cancelTimer(terminator);
        return Future.succeededFuture();
      }, false));
  }

  @Test
  @DisplayName("Kafka broker killed (SIGKILL) and restarted under load")
  void kafkaKilled() throws Exception {
    run(new Scenario("kafka-kill", "kafka_producer", KAFKA, "broker JVM SIGKILL, restarted on the same ports and data",
      ctx -> blocking(ctx, broker::kill), ctx -> blocking(ctx, broker::start), true));
  }

  @Test
  @DisplayName("Kafka broker frozen (SIGSTOP, SIGCONT) under load")
  void kafkaFrozen() throws Exception {
    run(new Scenario("kafka-freeze", "kafka_producer", KAFKA, "broker JVM SIGSTOP, then SIGCONT",
      ctx -> blocking(ctx, () -> Signals.send(broker.pid(), "-STOP", "Kafka broker")),
      ctx -> blocking(ctx, () -> Signals.send(broker.pid(), "-CONT", "Kafka broker")), true));
  }

  @Test
  @DisplayName("Kafka broker killed while a caller queues records Kafka refuses (poison), restarted under load")
  void kafkaPoisoned() throws Exception {
    run(new Scenario("kafka-poison", "kafka_producer", KAFKA, "broker JVM SIGKILL while a caller queues records "
      + "larger than their topic takes, restarted; the operator drops the dead letters",
      ctx -> blocking(ctx, broker::kill).compose(v -> {
        poisoner = ctx.vertx().setPeriodic(POISON_INTERVAL_MILLIS, id -> poisonSent.add(publishPoison(ctx)));
        return Future.succeededFuture();
      }),
      ctx -> {
        ctx.vertx().cancelTimer(poisoner);
        return Future.join(List.copyOf(poisonSent)).otherwiseEmpty()
          .compose(v -> blocking(ctx, broker::start))
          .compose(v -> Poll.until(ctx.vertx(), ctx.poisoned().get() + " dead letter(s)", 60_000,
            () -> ctx.node().health().map(health -> health.getJsonObject("queue").getLong("dead", 0L)
              >= ctx.poisoned().get())))
          .compose(v -> WebClient.create(ctx.vertx()).post(ctx.node().httpPort(), "127.0.0.1",
            "/admin/queue/dead/drop").sendJsonObject(new JsonObject().put(QueueAdmin.ALL, true)))
          .mapEmpty();
      }, true));
  }

  /** A record too large for {@link #POISON_TOPIC}: queued while the broker is down, refused at replay. */
  private static Future<Void> publishPoison(Scenario.ScenarioContext ctx) {
    return ctx.vertx().eventBus().<JsonObject>request(MeshAddress.KAFKA_PUBLISH, new JsonObject()
        .put(MeshField.TOPIC, POISON_TOPIC).put(MeshField.VALUE, "x".repeat(2 * POISON_TOPIC_MAX_BYTES)))
      .map(reply -> {
        if (MeshField.STATUS_QUEUED.equals(reply.body().getString(MeshField.STATUS))) {
          ctx.poisoned().incrementAndGet();
        }
        return null;
      });
  }

  /**
   * Driven from the test thread: each scenario's node has a Vert.x of its own that is closed at the end, so no Vert.x
   * chain may outlive it.
   */
  private void run(Scenario scenario) throws Exception {
    ScenarioRun run = new ScenarioRun(scenario, SCALE, EPSILON_MILLIS, broker.bootstrapServers(),
      nodeConfig(ScenarioRun.applicationName(scenario)));
    try {
      ScenarioResult result = run.execute().await(SCENARIO_MINUTES, TimeUnit.MINUTES);
      TABLE.add(result);
      LOG.info("{}: {}", scenario.name(), result);
      assertThat(result.problems()).as(scenario.name()).isEmpty();
    } finally {
      run.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static Consumer<JsonObject> nodeConfig(String applicationName) {
    return config -> {
      REDIS_SERVER.configure(config);
      config.getJsonObject("kafka").put("bootstrap_servers", broker.bootstrapServers());
      config.getJsonObject("postgres").put("host", "127.0.0.1").put("port", proxy.port())
        .put("database", ChaosPostgres.NAME).put("user", ChaosPostgres.NAME)
        .put("application_name", applicationName);
    };
  }
}
