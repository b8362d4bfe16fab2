package io.meshnode.cluster;

import io.meshnode.bootstrap.ClusterSetup;
import io.meshnode.bootstrap.NodeIdentity;
import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshHeader;
import io.meshnode.support.FreePort;
import io.meshnode.support.Poll;
import io.meshnode.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two clustered Vert.x instances in this JVM, built by {@link ClusterSetup} as {@code Main --cluster} builds them:
 * a full node and a client node. Isolated from other clusters on the machine: a random cluster name and free
 * Hazelcast ports, never the default name or 5701.
 */
@ExtendWith(VertxExtension.class)
class ClusteredNodesIT {

  private static final Logger LOG = LoggerFactory.getLogger(ClusteredNodesIT.class);
  private static final Path CLUSTER_XML = Path.of("conf", "cluster.xml");
  private static final int LATENCY_SAMPLES = 300;

  private final String clusterName = "mesh-it-" + UUID.randomUUID();
  private final int fullPort = FreePort.find();
  private final int clientPort = FreePort.find();
  private final String key = "cluster:" + UUID.randomUUID();
  private final List<Vertx> opened = new ArrayList<>();

  @AfterEach
  void close(VertxTestContext test) {
    Future.join(opened.stream().map(Vertx::close).toList()).onComplete(ar -> test.completeNow());
  }

  private Map<String, String> environment(int port) {
    return Map.of(ClusterSetup.NAME, clusterName, ClusterSetup.PORT, Integer.toString(port),
      ClusterSetup.HOST, "127.0.0.1", ClusterSetup.MEMBERS, "127.0.0.1:" + fullPort + ",127.0.0.1:" + clientPort);
  }

  /** Kafka unreachable at once, announcements every 200 ms, expiry 1.5 s: the cluster tests' node config. */
  static void fastClusterView(JsonObject config) {
    config.getJsonObject("kafka").put("bootstrap_servers", TestNode.UNREACHABLE_KAFKA);
    config.getJsonObject("cluster").put("announce_interval_ms", 200).put("expiry_ms", 1_500);
  }

  static int members(Vertx vertx) {
    return ((VertxInternal) vertx).clusterManager().getNodes().size();
  }

  private static Future<Boolean> listsExactly(TestNode node, String nodeId) {
    return node.health().map(health -> health.getJsonObject("cluster").getJsonObject("nodes").fieldNames()
      .equals(Set.of(nodeId)));
  }

  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  @DisplayName("a client node's request is served by the full node, both /health list the full node, which "
    + "disappears from the view when it closes")
  void shouldServeFromTheFullNodeAndListIt(VertxTestContext test) {
    long formingSince = System.nanoTime();
    Future<Vertx> fullVertx = ClusterSetup.clusteredVertx(CLUSTER_XML, environment(fullPort)).onSuccess(opened::add);
    Future<Vertx> clientVertx = ClusterSetup.clusteredVertx(CLUSTER_XML, environment(clientPort))
      .onSuccess(opened::add);
    Future.all(fullVertx, clientVertx)
      .compose(v -> Poll.until(clientVertx.result(), "both nodes see two members", 30_000,
        () -> Future.succeededFuture(members(fullVertx.result()) == 2 && members(clientVertx.result()) == 2)))
      .onSuccess(v -> LOG.info("two in-JVM nodes formed a cluster in {} ms", (System.nanoTime() - formingSince) / 1_000_000))
      .compose(v -> Future.all(TestNode.deploy(fullVertx.result(), "full", ClusteredNodesIT::fastClusterView),
        TestNode.deploy(clientVertx.result(), "client", ClusteredNodesIT::fastClusterView)))
      .compose(nodes -> {
        TestNode full = nodes.resultAt(0);
        TestNode client = nodes.resultAt(1);
        String fullId = NodeIdentity.nodeId(full.vertx());
        return servedByFullNode(client.vertx(), fullId, test)
          .compose(v -> Poll.until(client.vertx(), "both /health list the full node only", 10_000,
            () -> listsExactly(client, fullId).compose(onClient -> listsExactly(full, fullId)
              .map(onFull -> onClient && onFull))))
          .compose(v -> client.health()).onSuccess(health -> test.verify(() -> {
            assertThat(health.getString("node")).isEqualTo(NodeIdentity.nodeId(client.vertx()));
            assertThat(health.getString("status")).isEqualTo("healthy");
            assertThat(health.getJsonObject("cluster").getJsonObject("nodes").getJsonObject(fullId)
              .getJsonObject("circuit_breakers").getString("redis")).isEqualTo("closed");
          }))
          .compose(v -> latencies(client.vertx(), "cross-node"))
          .compose(v -> latencies(full.vertx(), "local"))
          .compose(v -> {
            long closing = System.nanoTime();
            Future<Void> closed = full.vertx().close();
            return Poll.until(client.vertx(), "the closing full node leaves the client's view", 10_000,
                () -> client.health().map(health -> health.getJsonObject("cluster").getJsonObject("nodes").isEmpty()))
              .onSuccess(gone -> LOG.info("closing full node left the client's view {} ms after close began",
                (System.nanoTime() - closing) / 1_000_000))
              .compose(gone -> closed)
              .onSuccess(done -> LOG.info("full node closed {} ms after close began",
                (System.nanoTime() - closing) / 1_000_000));
          });
      })
      .onComplete(test.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  @DisplayName("a withdrawn subscription stops the other node routing to it while the consumer stays registered, "
    + "and unregisters cleanly after")
  void shouldStopRoutingToAWithdrawnSubscriptionWhileItsConsumerStaysRegistered(VertxTestContext test) {
    String address = "withdrawal-it." + UUID.randomUUID();
    Future<Vertx> serving = ClusterSetup.clusteredVertx(CLUSTER_XML, environment(fullPort)).onSuccess(opened::add);
    Future<Vertx> sending = ClusterSetup.clusteredVertx(CLUSTER_XML, environment(clientPort)).onSuccess(opened::add);
    Future.all(serving, sending).compose(v -> {
      MessageConsumer<String> consumer = serving.result().eventBus().consumer(address, msg -> msg.reply("served"));
      Vertx sender = sending.result();
      return consumer.completion()
        .compose(registered -> Poll.until(sender, "the sender reaches the consumer", 30_000,
          () -> sender.eventBus().request(address, "ping").map(reply -> "served".equals(reply.body()))
            .otherwise(false)))
        .compose(reached -> SubscriptionWithdrawal.withdraw(serving.result(), List.of(address)))
        .compose(withdrawn -> Poll.until(sender, "the sender stops routing to the withdrawn subscription", 10_000,
          () -> sender.eventBus().request(address, "ping").map(reply -> false)
            .otherwise(e -> e instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS)))
        .map(routedElsewhere -> {
          test.verify(() -> assertThat(consumer.isRegistered()).as("consumer after withdrawal").isTrue());
          return null;
        })
        .compose(x -> consumer.unregister());
    }).onComplete(test.succeedingThenComplete());
  }

  private Future<Void> servedByFullNode(Vertx client, String fullId, VertxTestContext test) {
    return client.eventBus().<JsonObject>request(MeshAddress.REDIS_SET,
        new JsonObject().put("key", key).put("value", "from-client").put("ttlSeconds", 60))
      .compose(set -> client.eventBus().<JsonObject>request(MeshAddress.REDIS_GET, new JsonObject().put("key", key)))
      .map(get -> {
        test.verify(() -> {
          assertThat(get.body().getString("value")).isEqualTo("from-client");
          assertThat(get.headers().get(MeshHeader.NODE)).isEqualTo(fullId);
          assertThat(get.headers().get(MeshHeader.SOURCE)).isEqualTo(MeshHeader.SOURCE_PRIMARY);
        });
        return null;
      });
  }

  /** Sequential Redis GETs from {@code from}; logs p50 and p99 (a rough figure on a shared machine, not asserted). */
  private Future<Void> latencies(Vertx from, String label) {
    List<Long> micros = Collections.synchronizedList(new ArrayList<>());
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < LATENCY_SAMPLES; i++) {
      chain = chain.compose(v -> {
        long sent = System.nanoTime();
        return from.eventBus().<JsonObject>request(MeshAddress.REDIS_GET, new JsonObject().put("key", key))
          .map(Message::body).map(body -> {
            micros.add((System.nanoTime() - sent) / 1_000);
            return null;
          });
      });
    }
    return chain.onSuccess(v -> {
      List<Long> sorted = new ArrayList<>(micros);
      Collections.sort(sorted);
      LOG.info("{} redis GET over {} requests: p50 {} us, p99 {} us", label, sorted.size(),
        sorted.get(sorted.size() / 2), sorted.get(sorted.size() * 99 / 100));
    });
  }
}
