package io.meshnode.cluster;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.meshnode.bootstrap.ClusterSetup;
import io.meshnode.bootstrap.ClusterTls;
import io.meshnode.bootstrap.NodeIdentity;
import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshField;
import io.meshnode.contract.MeshHeader;
import io.meshnode.support.FreePort;
import io.meshnode.support.Poll;
import io.meshnode.support.TestCertificate;
import io.meshnode.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clustered event bus over TLS, with certificates made in the test: a full and a client node holding the
 * cluster's certificate serve each other; a node without TLS joins the Hazelcast cluster but its request is not
 * served; a TLS connection to the full node's event-bus port without a certificate, or with another one, is refused.
 * The password appears in no log line, {@code /health} or {@code /metrics}. Isolated like {@link ClusteredNodesIT}.
 */
@ExtendWith(VertxExtension.class)
class ClusteredTlsIT {

  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(ClusteredTlsIT.class);
  private static final Path CLUSTER_XML = Path.of("conf", "cluster.xml");

  @TempDir
  Path dir;
  private final String password = "cluster-tls-" + UUID.randomUUID();
  private final String clusterName = "mesh-tls-it-" + UUID.randomUUID();
  private final int fullPort = FreePort.find();
  private final int clientPort = FreePort.find();
  private final int plainPort = FreePort.find();
  private final String key = "tls:" + UUID.randomUUID();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final List<String> exposed = new ArrayList<>();
  private final List<Vertx> opened = new ArrayList<>();
  private Path clusterStore;
  private Path foreignStore;

  @BeforeEach
  void createCertificates() {
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    clusterStore = TestCertificate.create(dir.resolve("cluster.p12"), "mesh-cluster", password);
    foreignStore = TestCertificate.create(dir.resolve("foreign.p12"), "another-cluster", password);
  }

  @AfterEach
  void close(VertxTestContext test) {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    Future.join(opened.stream().map(Vertx::close).toList()).onComplete(ar -> test.completeNow());
  }

  private Future<Vertx> node(int port, boolean tls) {
    Map<String, String> environment = new HashMap<>(Map.of(ClusterSetup.NAME, clusterName,
      ClusterSetup.PORT, Integer.toString(port), ClusterSetup.HOST, "127.0.0.1",
      ClusterSetup.MEMBERS, "127.0.0.1:" + fullPort + ",127.0.0.1:" + clientPort + ",127.0.0.1:" + plainPort));
    if (tls) {
      environment.putAll(Map.of(ClusterTls.ENABLED, "true", ClusterTls.KEY_STORE, clusterStore.toString(),
        ClusterTls.PASSWORD, password));
    }
    return ClusterSetup.clusteredVertx(CLUSTER_XML, environment).onSuccess(opened::add);
  }

  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  @DisplayName("nodes with the cluster's certificate serve each other; a node without TLS and connections without "
    + "the certificate are refused; the password is never shown")
  void shouldServeOnlyNodesWithTheClusterCertificate(VertxTestContext test) {
    Future<Vertx> full = node(fullPort, true);
    Future<Vertx> client = node(clientPort, true);
    Future<Vertx> plain = node(plainPort, false);
    Future.all(full, client, plain)
      .compose(v -> Poll.until(client.result(), "three members", 30_000, () -> Future.succeededFuture(
        ClusteredNodesIT.members(plain.result()) == 3)))
      .compose(v -> Future.all(TestNode.deploy(full.result(), "full", ClusteredNodesIT::fastClusterView),
        TestNode.deploy(client.result(), "client", ClusteredNodesIT::fastClusterView)))
      .compose(nodes -> {
        TestNode fullNode = nodes.resultAt(0);
        TestNode clientNode = nodes.resultAt(1);
        String fullId = NodeIdentity.nodeId(full.result());
        return client.result().eventBus().<JsonObject>request(MeshAddress.REDIS_SET,
            new JsonObject().put(MeshField.KEY, key).put(MeshField.VALUE, "over-tls").put(MeshField.TTL_SECONDS, 60))
          .onSuccess(set -> test.verify(() -> assertThat(set.headers().get(MeshHeader.NODE)).isEqualTo(fullId)))
          .compose(set -> plain.result().eventBus().request(MeshAddress.REDIS_SET, new JsonObject()
            .put(MeshField.KEY, key).put(MeshField.VALUE, "from-plain").put(MeshField.TTL_SECONDS, 60),
            new DeliveryOptions().setSendTimeout(2_000)).map(served -> (Throwable) null).otherwise(failure -> failure))
          .compose(plainFailure -> {
            LOG.info("request from the node without TLS: {}", String.valueOf(plainFailure));
            test.verify(() -> assertThat(plainFailure).as("the request of the node without TLS, to a known handler")
              .isInstanceOfSatisfying(ReplyException.class,
                failure -> assertThat(failure.failureType()).isEqualTo(ReplyFailure.TIMEOUT)));
            return client.result().eventBus().<JsonObject>request(MeshAddress.REDIS_GET,
              new JsonObject().put(MeshField.KEY, key));
          })
          .compose(get -> {
            test.verify(() -> assertThat(get.body().getString(MeshField.VALUE)).isEqualTo("over-tls"));
            NodeInfo bus = ((VertxInternal) full.result()).clusterManager().getNodeInfo();
            return full.result().executeBlocking(() -> List.of(
              EventBusProbe.handshake(bus.host(), bus.port(), clusterStore, password, true),
              EventBusProbe.handshake(bus.host(), bus.port(), clusterStore, password, false),
              EventBusProbe.handshake(bus.host(), bus.port(), foreignStore, password, true)));
          })
          .compose(probes -> {
            test.verify(() -> assertThat(probes).as("with the cluster's certificate, without one, with another")
              .containsExactly(EventBusProbe.ACCEPTED, EventBusProbe.REFUSED, EventBusProbe.REFUSED));
            return Future.all(fullNode.health(), fullNode.metrics(), clientNode.health(), clientNode.metrics());
          })
          .map(pages -> {
            pages.list().forEach(page -> exposed.add(page.toString()));
            return null;
          });
      })
      .onComplete(test.succeeding(v -> test.verify(() -> {
        logs.list.forEach(event -> {
          exposed.add(event.getFormattedMessage());
          if (event.getThrowableProxy() != null) {
            exposed.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
          }
        });
        assertThat(exposed).anyMatch(line -> line.contains("event bus over TLS"));
        assertThat(exposed).noneMatch(line -> line.contains(password));
        test.completeNow();
      })));
  }
}
