package io.meshnode.cluster;

import io.meshnode.client.MeshClient;
import io.meshnode.client.MeshReply;
import io.meshnode.contract.MeshField;
import io.meshnode.support.Await;
import io.meshnode.support.NodeProcess;
import io.meshnode.support.TestCluster;
import io.meshnode.support.TestKafka;
import io.meshnode.support.TopicReader;
import io.meshnode.tools.LocalKafkaBroker;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A clustered node killed with -9 while messages sit in its durable Kafka queue (its broker stopped): restarted on
 * the same queue file, and once the broker is back, every queued message is in the topic, read by a real consumer.
 */
class ClusterQueueReplayIT {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterQueueReplayIT.class);
  private static final int QUEUED = 50;
  private static final String TOPIC = "replay-it";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final LocalKafkaBroker broker = TestKafka.ownBroker();
  private TestCluster cluster;

  @AfterEach
  void stopAll() {
    if (cluster != null) {
      cluster.close();
    }
    broker.stop();
  }

  @Test
  @DisplayName("a node killed -9 with messages in its queue replays every one of them after restart")
  void shouldReplayTheQueueOfANodeKilledWhileTheBrokerWasDown() {
    broker.start();
    cluster = TestCluster.start(ClusterQueueReplayIT.class, 1, broker.bootstrapServers(), config -> { });
    NodeProcess node = cluster.node(0);
    MeshClient mesh = MeshClient.create(cluster.client());
    List<String> ids = new ArrayList<>();
    MeshReply first = Await.result(mesh.kafka().publish(TOPIC, "first", "before the outage"), WAIT, "a publish");
    assertThat(first.body().getString(MeshField.STATUS)).isEqualTo(MeshField.STATUS_PUBLISHED);
    ids.add(first.body().getString(MeshField.ID));

    broker.stop();
    List<Future<MeshReply>> publishes = new ArrayList<>();
    for (int i = 0; i < QUEUED; i++) {
      publishes.add(mesh.kafka().publish(TOPIC, "queued-" + i, "{\"n\":" + i + "}"));
    }
    List<MeshReply> queued = Await.result(Future.all(publishes), WAIT, QUEUED + " publishes").list();
    assertThat(queued).allSatisfy(reply -> {
      assertThat(reply.fallback()).isTrue();
      assertThat(reply.body().getString(MeshField.STATUS)).isEqualTo(MeshField.STATUS_QUEUED);
    });
    queued.forEach(reply -> ids.add(reply.body().getString(MeshField.ID)));
    node.awaitHealth("queue depth " + QUEUED, WAIT, health -> queueDepth(health) == QUEUED);

    node.kill();
    long restartedAt = System.nanoTime();
    node.restart().awaitReady(TestCluster.START_TIMEOUT);
    LOG.info("node restarted after kill -9 and ready in {} ms", (System.nanoTime() - restartedAt) / 1_000_000);
    node.awaitHealth("queue depth " + QUEUED + " after the restart", WAIT, health -> queueDepth(health) == QUEUED);

    broker.start();
    node.awaitHealth("the queue to drain", WAIT, health -> queueDepth(health) == 0);
    List<TopicReader.Read> records = TopicReader.read(broker.bootstrapServers(), TOPIC, ids.size(), WAIT);
    assertThat(records).extracting(TopicReader.Read::messageId).containsExactlyInAnyOrderElementsOf(ids);
  }

  private static long queueDepth(io.vertx.core.json.JsonObject health) {
    return health.getJsonObject("queue").getLong("depth", -1L);
  }
}
