package io.meshnode.cluster;

import io.meshnode.contract.MeshFailure;
import io.meshnode.support.Await;
import io.meshnode.support.NodeProcess;
import io.meshnode.support.RequestLoad;
import io.meshnode.support.RequestLoad.Outcome;
import io.meshnode.support.TestCluster;
import io.meshnode.support.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three node processes under a steady load from a client node in the test JVM; one is killed with -9, then another
 * stopped with SIGTERM. Every request is accounted for: served (dependency or fallback), a coded failure from a
 * node, or a failure from the bus itself when no node answered it.
 *
 * <p>What a client sees when the node serving its request dies: nothing comes back, so the request ends as a bus
 * TIMEOUT at its send timeout. These requests carry {@code mesh-timeout-ms} = {@value #DEADLINE_MS} and a send
 * timeout {@value #GRACE_MS} ms longer, so even they are answered (typed TIMEOUT) by deadline + grace. The test
 * asserts that such bus-level failures happen only to requests that were in flight at the kill or sent before the
 * cluster dropped the dead node, and that everything else is served by the survivors.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverIT {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterFailoverIT.class);
  private static final long DEADLINE_MS = 2_000;
  private static final long GRACE_MS = 1_000;
  /** Timer lateness the loaded test machine may add to an answer. */
  private static final long SLACK_MS = 1_000;
  private static final long INTERVAL_MS = 10;
  private static final Duration MAX_DETECTION = Duration.ofSeconds(10);
  /** After the survivors dropped the dead node, how long the client node may still route to it. */
  private static final long SETTLE_MS = 2_000;
  private static TestCluster cluster;

  private final String run = UUID.randomUUID().toString();

  @BeforeAll
  static void formCluster() {
    cluster = TestCluster.start(ClusterFailoverIT.class, 3, TestKafka.bootstrapServers(), config -> { });
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  @DisplayName("a full node killed with -9 under load: every request answered by its deadline, survivors serve, "
    + "the view drops the dead node within 10 s")
  void shouldSurviveAFullNodeKilledUnderLoad() {
    List<NodeProcess> live = live();
    NodeProcess victim = live.get(0);
    List<NodeProcess> survivors = live.subList(1, live.size());
    RequestLoad load = startLoad();
    Await.result(cluster.client().timer(2_000), Duration.ofSeconds(10), "the load to run before the kill");

    long killedAt = System.nanoTime();
    victim.kill();
    long detectedAt = awaitDropped(victim, survivors, killedAt, "killed with -9");
    long settledAt = detectedAt + SETTLE_MS * 1_000_000;
    Await.result(cluster.client().timer(3_000), Duration.ofSeconds(10), "the load to run after the view settled");
    List<Outcome> outcomes = Await.result(load.stop(), Duration.ofMillis(DEADLINE_MS + GRACE_MS + 10_000),
      "the last requests to be answered");

    List<Outcome> busLevel = outcomes.stream().filter(Outcome::busLevel).toList();
    List<Outcome> afterSettling = outcomes.stream().filter(o -> o.sentNanos() > settledAt).toList();
    LOG.info("FIGURE kill -9 of {} under load: {} requests, by kind {}; bus-level failures {}; after the view "
        + "settled ({} ms after the kill) {} requests served by {}", victim, outcomes.size(),
      RequestLoad.countByKind(outcomes), describe(busLevel, killedAt), (settledAt - killedAt) / 1_000_000,
      afterSettling.size(), servers(afterSettling));

    assertEveryRequestAnsweredInTime(outcomes);
    assertThat(outcomes).filteredOn(o -> o.answeredNanos() < killedAt).allSatisfy(o -> assertThat(o.served()).isTrue());
    long inFlightSince = killedAt - (DEADLINE_MS + GRACE_MS) * 1_000_000;
    assertThat(busLevel).as("bus-level failures: only requests in flight at the kill or routed to the dead node "
        + "before the cluster dropped it")
      .allSatisfy(o -> assertThat(o.sentNanos()).isBetween(inFlightSince, settledAt));
    assertThat(afterSettling).isNotEmpty().allSatisfy(o -> assertThat(o.served()).as(o.toString()).isTrue());
    assertThat(servers(afterSettling)).containsExactlyInAnyOrderElementsOf(ids(survivors));
  }

  @Test
  @Order(2)
  @DisplayName("a full node stopped with SIGTERM under load exits 0, leaves the view, and every request is answered: "
    + "served or coded")
  void shouldFinishInFlightRequestsWhenAFullNodeStopsCleanly() {
    List<NodeProcess> live = live();
    assertThat(live).as("live full nodes").hasSizeGreaterThanOrEqualTo(2);
    NodeProcess leaving = live.get(0);
    List<NodeProcess> staying = live.subList(1, live.size());
    RequestLoad load = startLoad();
    Await.result(cluster.client().timer(1_000), Duration.ofSeconds(10), "the load to run before the stop");

    long stoppedAt = System.nanoTime();
    int exitCode = leaving.stop();
    long stopMillis = (System.nanoTime() - stoppedAt) / 1_000_000;
    awaitDropped(leaving, staying, stoppedAt, "stopped with SIGTERM");
    Await.result(cluster.client().timer(2_000), Duration.ofSeconds(10), "the load to run after the stop");
    List<Outcome> outcomes = Await.result(load.stop(), Duration.ofMillis(DEADLINE_MS + GRACE_MS + 10_000),
      "the last requests to be answered");

    List<Outcome> busLevel = outcomes.stream().filter(Outcome::busLevel).toList();
    LOG.info("FIGURE SIGTERM of {} under load: exit code {} after {} ms; {} requests, by kind {}; bus-level "
      + "failures {}", leaving, exitCode, stopMillis, outcomes.size(), RequestLoad.countByKind(outcomes),
      describe(busLevel, stoppedAt));
    assertThat(exitCode).as("exit code of the node stopped with SIGTERM").isZero();
    assertEveryRequestAnsweredInTime(outcomes);
    // The stopping node withdraws its subscriptions first and serves what is still routed to it meanwhile, so no
    // request goes unanswered: every one is served or gets a coded reply.
    assertThat(busLevel).as("requests no node answered: " + describe(busLevel, stoppedAt)).isEmpty();
  }

  private RequestLoad startLoad() {
    return new RequestLoad(cluster.client(), DEADLINE_MS, GRACE_MS, RequestLoad.everyAddress(run, "failover-it"))
      .start(INTERVAL_MS);
  }

  /** Waits until every one of {@code survivors} has dropped {@code gone} from its view; logs and checks how fast. */
  private static long awaitDropped(NodeProcess gone, List<NodeProcess> survivors, long since, String how) {
    long last = since;
    for (NodeProcess survivor : survivors) {
      survivor.awaitHealth("without " + gone + " in cluster.nodes", MAX_DETECTION.plusSeconds(20),
        health -> !TestCluster.viewOf(health).contains(gone.nodeId()));
      last = System.nanoTime();
      long millis = (last - since) / 1_000_000;
      LOG.info("FIGURE {} dropped {} ({}) from its /health view {} ms after it was {}", survivor, gone,
        gone.name(), millis, how);
      assertThat(Duration.ofMillis(millis)).as("time for " + survivor + " to drop " + gone).isLessThan(MAX_DETECTION);
    }
    return last;
  }

  private static void assertEveryRequestAnsweredInTime(List<Outcome> outcomes) {
    assertThat(outcomes).isNotEmpty().allSatisfy(o -> {
      assertThat(o.millis()).as("answer time of %s", o).isLessThanOrEqualTo(DEADLINE_MS + GRACE_MS + SLACK_MS);
      assertThat(o.kind()).as("uncoded failure %s", o).isNotEqualTo(RequestLoad.Kind.UNCODED);
      if (o.kind() == RequestLoad.Kind.CODED) {
        assertThat(o.code()).as("code of %s", o).isIn(MeshFailure.UNAVAILABLE, MeshFailure.DEADLINE_EXCEEDED);
      }
    });
  }

  private static List<NodeProcess> live() {
    return cluster.nodes().stream().filter(NodeProcess::isAlive).toList();
  }

  private static Set<String> ids(List<NodeProcess> nodes) {
    return nodes.stream().map(NodeProcess::nodeId).collect(Collectors.toSet());
  }

  private static Set<String> servers(List<Outcome> outcomes) {
    return outcomes.stream().filter(Outcome::served).map(Outcome::node).collect(Collectors.toSet());
  }

  /** Count, first and last send time relative to {@code at}, and the first few, for a log line or a failure. */
  private static String describe(List<Outcome> outcomes, long at) {
    if (outcomes.isEmpty()) {
      return "none";
    }
    LongSummaryStatistics sent = outcomes.stream().mapToLong(o -> (o.sentNanos() - at) / 1_000_000)
      .summaryStatistics();
    return outcomes.size() + " sent " + sent.getMin() + " .. " + sent.getMax() + " ms around the event, e.g. "
      + outcomes.stream().limit(5).map(o -> o.address() + " sent " + (o.sentNanos() - at) / 1_000_000 + " ms: "
      + o.kind() + " after " + o.millis() + " ms (" + o.detail() + ")").collect(Collectors.joining("; "));
  }
}
