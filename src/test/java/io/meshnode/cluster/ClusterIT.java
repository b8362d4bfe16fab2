package io.meshnode.cluster;

import io.meshnode.client.MeshClient;
import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshField;
import io.meshnode.contract.MeshHeader;
import io.meshnode.support.Latencies;
import io.meshnode.support.NodeProcess;
import io.meshnode.support.TestCluster;
import io.meshnode.support.TestKafka;
import io.meshnode.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three node processes (the real fat jar with {@code --cluster}) and a client node in the test JVM: the client's
 * requests to every public address are served, by more than one full node, and every node's {@code /health} lists
 * the three. Logs the figures of the issue: formation time, and cross-node vs local request latency.
 */
@ExtendWith(VertxExtension.class)
class ClusterIT {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterIT.class);
  private static final int NODES = 3;
  private static TestCluster cluster;
  private static Set<String> ids;

  private final String run = UUID.randomUUID().toString();

  @BeforeAll
  static void formCluster() {
    cluster = TestCluster.start(ClusterIT.class, NODES, TestKafka.bootstrapServers(), config -> { });
    ids = cluster.nodes().stream().map(NodeProcess::nodeId).collect(Collectors.toSet());
    LOG.info("FIGURE cluster formation: {} node processes started at once, ready and listing each other in {} ms",
      NODES, cluster.formationTime().toMillis());
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @DisplayName("/health on each node lists all three full nodes, each with its breakers and queue depth")
  void shouldListEveryFullNodeOnEveryNode(VertxTestContext test) {
    WebClient http = WebClient.create(cluster.client());
    List<Future<JsonObject>> healths = cluster.nodes().stream()
      .map(node -> http.get(node.httpPort(), "127.0.0.1", "/health").send().map(r -> r.bodyAsJsonObject()))
      .toList();
    Future.all(healths).onComplete(test.succeeding(all -> test.verify(() -> {
      assertThat(ids).hasSize(NODES).doesNotContainNull();
      for (int i = 0; i < NODES; i++) {
        JsonObject health = healths.get(i).result();
        assertThat(health.getString("node")).isEqualTo(cluster.node(i).nodeId());
        assertThat(TestCluster.viewOf(health)).containsExactlyInAnyOrderElementsOf(ids);
        JsonObject nodes = health.getJsonObject("cluster").getJsonObject("nodes");
        ids.forEach(id -> {
          assertThat(nodes.getJsonObject(id).getJsonObject("circuit_breakers").fieldNames())
            .containsExactlyInAnyOrder("database", "kafka_producer", "redis");
          assertThat(nodes.getJsonObject(id).getValue("queue")).isNotNull();
        });
      }
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("requests from the client node to every public address are served, by more than one full node")
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void shouldServeClientRequestsOnSeveralFullNodes(VertxTestContext test) {
    Vertx client = cluster.client();
    List<Message<JsonObject>> replies = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < 6; i++) {
      String key = "cluster-it:" + run + ":" + i;
      chain = chain
        .compose(v -> request(client, MeshAddress.REDIS_SET, new JsonObject().put(MeshField.KEY, key)
          .put(MeshField.VALUE, key), replies))
        .compose(set -> request(client, MeshAddress.REDIS_GET, new JsonObject().put(MeshField.KEY, key), replies))
        .compose(get -> {
          test.verify(() -> assertThat(get.body().getString(MeshField.VALUE)).isEqualTo(key));
          return request(client, MeshAddress.REDIS_DEL, new JsonObject().put(MeshField.KEY, key), replies);
        })
        .compose(del -> request(client, MeshAddress.PG_QUERY, new JsonObject().put(MeshField.QUERY, "server_time")
          .put(MeshField.PARAMS, new JsonArray()), replies))
        .compose(rows -> {
          test.verify(() -> assertThat(rows.body().getInteger(MeshField.ROW_COUNT)).isEqualTo(1));
          return request(client, MeshAddress.KAFKA_PUBLISH, new JsonObject().put(MeshField.TOPIC, "cluster-it")
            .put(MeshField.KEY, key).put(MeshField.VALUE, "hello"), replies);
        })
        .map(published -> {
          test.verify(() -> assertThat(published.body().getString(MeshField.STATUS))
            .isEqualTo(MeshField.STATUS_PUBLISHED));
          return null;
        });
    }
    chain
      .compose(v -> MeshClient.create(client).redis().get("cluster-it:" + run + ":absent"))
      .onComplete(test.succeeding(typed -> test.verify(() -> {
        assertThat(typed.body().getValue(MeshField.VALUE)).isNull();
        Map<String, Long> perNode = replies.stream().collect(Collectors.groupingBy(
          reply -> String.valueOf(reply.headers().get(MeshHeader.NODE)), TreeMap::new, Collectors.counting()));
        LOG.info("{} requests from the client node served per full node: {}", replies.size(), perNode);
        assertThat(replies).hasSize(30)
          .allSatisfy(reply -> assertThat(reply.headers().get(MeshHeader.SOURCE)).isEqualTo(MeshHeader.SOURCE_PRIMARY));
        assertThat(perNode.keySet()).isSubsetOf(ids).hasSizeGreaterThan(1);
        test.completeNow();
      })));
  }

  private static Future<Message<JsonObject>> request(Vertx client, String address, JsonObject body,
                                                     List<Message<JsonObject>> replies) {
    return client.eventBus().<JsonObject>request(address, body, new DeliveryOptions()).onSuccess(replies::add);
  }

  @Test
  @DisplayName("a request crossing the cluster (client node -> full node) against one inside a node's JVM")
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void shouldMeasureCrossNodeAgainstLocalLatency(VertxTestContext test) {
    String key = "cluster-it:latency:" + run;
    MeshClient remote = MeshClient.create(cluster.client());
    Vertx local = TestNode.newVertx();
    MeshClient inJvm = MeshClient.create(local);
    String kafka = TestKafka.bootstrapServers();
    remote.redis().set(key, "v", 60)
      .compose(v -> Latencies.measure(300, 1000, () -> remote.redis().get(key)))
      .compose(crossNode -> TestNode.deploy(local, config -> config.getJsonObject("kafka")
          .put("bootstrap_servers", kafka))
        .compose(node -> Latencies.measure(300, 1000, () -> inJvm.redis().get(key)))
        .map(inNode -> {
          LOG.info("FIGURE mesh.redis.get cross-node (client node -> full node process): {}", crossNode);
          LOG.info("FIGURE mesh.redis.get local (sender in the node's own Vert.x): {}", inNode);
          return crossNode.count() + inNode.count();
        }))
      .eventually(() -> local.close())
      .onComplete(test.succeeding(measured -> test.verify(() -> {
        assertThat(measured).isEqualTo(2000);
        test.completeNow();
      })));
  }
}
