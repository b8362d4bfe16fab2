package io.meshnode.support;

import io.meshnode.bootstrap.ClusterSetup;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A cluster of its own for one test class: full nodes as separate processes ({@link NodeProcess}, the real fat jar
 * with {@code --cluster}) started in parallel, and a client node in the test JVM joined through
 * {@link ClusterSetup#clusteredVertx}, as an application would join.
 *
 * <p>Isolated from every other cluster on the machine: a random cluster name, and Hazelcast ports the test found
 * free (never 5701), all listed in {@code MESH_CLUSTER_MEMBERS}. Blocking: use it from the test thread.
 */
public final class TestCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TestCluster.class);

  /** How long a node process may take to be ready and see the whole cluster, on a loaded 2-core machine. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final String clusterName;
  private final Path confDir;
  private final List<NodeProcess> nodes;
  private final Map<String, String> clientEnvironment;
  private Duration formationTime;
  private Vertx client;

  private TestCluster(String clusterName, Path confDir, List<NodeProcess> nodes, Map<String, String> clientEnv) {
    this.clusterName = clusterName;
    this.confDir = confDir;
    this.nodes = nodes;
    this.clientEnvironment = clientEnv;
  }

  /**
   * Starts {@code size} full nodes at the same instant, waits until each is ready and lists all of them in its
   * {@code /health}, then joins the client node.
   *
   * @param testClass      names the cluster, the log files and the folder under {@code target/cluster-it}
   * @param kafkaBootstrap the nodes' {@code MESH_KAFKA_BOOTSTRAP_SERVERS}
   * @param customize      changes to the nodes' config after the fast durations (see {@link NodeConf})
   */
  public static TestCluster start(Class<?> testClass, int size, String kafkaBootstrap, Consumer<JsonObject> customize) {
    String testName = testClass.getSimpleName();
    String clusterName = "mesh-it-" + testName + "-" + UUID.randomUUID().toString().substring(0, 8);
    Path dir = TestKafka.projectDir().resolve("target/cluster-it").resolve(clusterName);
    Path confDir = NodeConf.write(dir.resolve("conf"), customize);
    int[] clusterPorts = FreePort.distinct(size + 1);
    int[] httpPorts = FreePort.distinct(size);
    String members = java.util.Arrays.stream(clusterPorts).mapToObj(port -> "127.0.0.1:" + port)
      .collect(Collectors.joining(","));
    List<NodeProcess> nodes = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      Map<String, String> env = clusterEnvironment(clusterName, members, clusterPorts[i]);
      env.put("MESH_HTTP_PORT", Integer.toString(httpPorts[i]));
      env.put("MESH_HTTP_HOST", "127.0.0.1");
      env.put("MESH_KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
      env.put("MESH_KAFKA_QUEUE_PATH", dir.resolve("node" + (i + 1)).resolve("queue.db").toString());
      nodes.add(new NodeProcess("node" + (i + 1), testName, List.of("--cluster", "--conf", confDir.toString()), env));
    }
    TestCluster cluster = new TestCluster(clusterName, confDir, nodes,
      clusterEnvironment(clusterName, members, clusterPorts[size]));
    try {
      cluster.form();
      cluster.joinClient();
    } catch (RuntimeException | AssertionError e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private static Map<String, String> clusterEnvironment(String clusterName, String members, int port) {
    Map<String, String> env = new HashMap<>();
    env.put(ClusterSetup.NAME, clusterName);
    env.put(ClusterSetup.MEMBERS, members);
    env.put(ClusterSetup.HOST, "127.0.0.1");
    env.put(ClusterSetup.PORT, Integer.toString(port));
    return env;
  }

  private void form() {
    long started = System.nanoTime();
    nodes.forEach(NodeProcess::start);
    nodes.forEach(node -> node.awaitReady(START_TIMEOUT));
    long ready = System.nanoTime();
    awaitViews(nodes, START_TIMEOUT);
    formationTime = Duration.ofNanos(System.nanoTime() - started);
    LOG.info("cluster {}: {} node processes ready {} ms after launch, each listing all in {} ms", clusterName,
      nodes.size(), (ready - started) / 1_000_000, formationTime.toMillis());
  }

  /** Waits until each of {@code expected} lists exactly the ids of {@code expected} in its {@code /health}. */
  public static void awaitViews(List<NodeProcess> expected, Duration timeout) {
    Set<String> ids = expected.stream().map(NodeProcess::nodeId).collect(Collectors.toSet());
    for (NodeProcess node : expected) {
      node.awaitHealth("listing " + ids + " in cluster.nodes", timeout, health -> ids.equals(viewOf(health)));
    }
  }

  /** The ids under {@code cluster.nodes} of a {@code /health} body; empty when there are none. */
  public static Set<String> viewOf(JsonObject health) {
    JsonObject cluster = health.getJsonObject("cluster");
    JsonObject view = cluster == null ? null : cluster.getJsonObject("nodes");
    return view == null ? Set.of() : Set.copyOf(view.fieldNames());
  }

  private void joinClient() {
    client = Await.result(ClusterSetup.clusteredVertx(confDir.resolve("cluster.xml"), clientEnvironment),
      START_TIMEOUT, "the client node to join " + clusterName);
  }

  /** The client node's Vert.x, a member of this cluster. */
  public Vertx client() {
    return client;
  }

  /** The full node processes, in start order ({@code node1} first). */
  public List<NodeProcess> nodes() {
    return nodes;
  }

  public NodeProcess node(int index) {
    return nodes.get(index);
  }

  /** From launching the processes to every node listing every node in {@code /health}. */
  public Duration formationTime() {
    return formationTime;
  }

  public String name() {
    return clusterName;
  }

  /** Closes the client node (it leaves the cluster), then stops every node process with SIGTERM. */
  @Override
  public void close() {
    if (client != null) {
      Await.result(client.close(), NodeProcess.STOP_TIMEOUT, "the client node to leave " + clusterName);
    }
    nodes.parallelStream().forEach(NodeProcess::stop);
  }
}
