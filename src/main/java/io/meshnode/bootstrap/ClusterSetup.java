package io.meshnode.bootstrap;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Builds a clustered Vert.x exactly as {@code Main --cluster} does: Hazelcast configured from {@code conf/cluster.xml}
 * with its {@code ${mesh.cluster.*}} placeholders filled from the environment, the event bus on the same host, and
 * the node's Prometheus metrics, and the event bus over TLS when {@code cluster.tls} of the {@code application.yaml}
 * beside {@code cluster.xml} or the environment turns it on ({@link ClusterTls}). A test JVM or an application uses it
 * to join the mesh as a client node.
 *
 * <p>Environment (defaults in brackets): {@value #NAME} [the file's {@code cluster-name}], {@value #MEMBERS}
 * [127.0.0.1] (comma list of {@code host} or {@code host:port}, never port ranges), {@value #HOST} [127.0.0.1]
 * (Hazelcast interface, event-bus host and public host; a name is resolved to its address), {@value #PORT} [5701]
 * (the first Hazelcast port tried), {@code MESH_METRICS_EVENTBUS} [false], and {@code MESH_CLUSTER_TLS*}
 * ({@link ClusterTls}).
 */
public final class ClusterSetup {

  /** Overrides the Hazelcast cluster name of {@code cluster.xml}. */
  public static final String NAME = "MESH_CLUSTER_NAME";
  /** The members to join. */
  public static final String MEMBERS = "MESH_CLUSTER_MEMBERS";
  /** This node's address for Hazelcast and the event bus. */
  public static final String HOST = "MESH_CLUSTER_HOST";
  /** The first Hazelcast member port tried. */
  public static final String PORT = "MESH_CLUSTER_PORT";

  private static final Logger LOG = LoggerFactory.getLogger(ClusterSetup.class);
  private static final String DEFAULT_HOST = "127.0.0.1";
  private static final String DEFAULT_PORT = "5701";
  private static final String APPLICATION_YAML = "application.yaml";

  private ClusterSetup() {
  }

  /**
   * A clustered Vert.x joined to the cluster {@code clusterXml} and {@code environment} describe; fails with a
   * message naming the variable or file at fault.
   */
  public static Future<Vertx> clusteredVertx(Path clusterXml, Map<String, String> environment) {
    Config hazelcast;
    EventBusOptions eventBus;
    try {
      hazelcast = hazelcastConfig(clusterXml, environment);
      String host = hostAddress(environment);
      eventBus = ClusterTls.configure(new EventBusOptions().setHost(host).setClusterPublicHost(host),
        clusterXml.resolveSibling(APPLICATION_YAML), environment);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    MeshClusterManager clusterManager = new MeshClusterManager(hazelcast);
    VertxOptions options = new VertxOptions().setEventBusOptions(eventBus);
    boolean eventBusMetrics = Boolean.parseBoolean(environment.getOrDefault("MESH_METRICS_EVENTBUS", "false"));
    long started = System.nanoTime();
    return MetricsSetup.withMetrics(Vertx.builder(), options, MetricsSetup.newRegistry(), eventBusMetrics)
      .withClusterManager(clusterManager)
      .buildClustered()
      .onSuccess(vertx -> LOG.info("joined cluster '{}' as node {} in {} ms, event bus {}; members: {}",
        hazelcast.getClusterName(), clusterManager.getNodeId(), (System.nanoTime() - started) / 1_000_000,
        eventBus.isSsl() ? "over TLS" : "in plain TCP", clusterManager.getNodes()));
  }

  /** {@code clusterXml} with its placeholders filled from {@code environment}, and the cluster name override. */
  static Config hazelcastConfig(Path clusterXml, Map<String, String> environment) {
    Properties values = new Properties();
    values.setProperty("mesh.cluster.members",
      String.join(",", ClusterMembers.parse(MEMBERS, value(environment, MEMBERS, DEFAULT_HOST))));
    values.setProperty("mesh.cluster.host", hostAddress(environment));
    values.setProperty("mesh.cluster.port", Integer.toString(
      ClusterMembers.port(PORT, value(environment, PORT, DEFAULT_PORT), value(environment, PORT, DEFAULT_PORT))));
    Config config;
    try (InputStream xml = Files.newInputStream(clusterXml)) {
      config = new XmlConfigBuilder(xml).setProperties(values).build();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read cluster config " + clusterXml + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid cluster config " + clusterXml + ": " + e.getMessage(), e);
    }
    String name = environment.get(NAME);
    if (name != null && !name.isBlank()) {
      config.setClusterName(name.trim());
    }
    return config;
  }

  /** {@value #HOST} as an IP address: Hazelcast's interface setting takes addresses, not names. */
  static String hostAddress(Map<String, String> environment) {
    String host = value(environment, HOST, DEFAULT_HOST);
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("invalid environment " + HOST + ": cannot resolve '" + host + "'", e);
    }
  }

  private static String value(Map<String, String> environment, String variable, String fallback) {
    String value = environment.get(variable);
    return value == null || value.isBlank() ? fallback : value.trim();
  }
}
