package io.meshnode.web;

import io.meshnode.contract.NodeState;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The cluster view of /health, on an injected clock: joins, changes, departures and expiry. */
class ClusterViewTest {

  private static final long EXPIRY = 1_000;

  private final AtomicLong now = new AtomicLong(10_000);
  private final ClusterView view = new ClusterView(EXPIRY, now::get);

  private JsonObject node(String id) {
    return view.toJson().getJsonObject("nodes").getJsonObject(id);
  }

  @Test
  @DisplayName("an announcement adds a node with its breakers and queue; later changes update it")
  void shouldFollowAnnouncementsAndChanges() {
    view.onNodeState(NodeState.announce("a", Map.of("redis", "closed", "database", "closed"), 0));
    view.onNodeState(NodeState.breaker("a", "redis", "open", "2026-01-01T00:00:00Z"));
    view.onNodeState(NodeState.queue("a", 7));
    assertThat(node("a").getJsonObject(NodeState.CIRCUIT_BREAKERS).getMap())
      .containsExactlyInAnyOrderEntriesOf(Map.of("redis", "open", "database", "closed"));
    assertThat(node("a").getLong(NodeState.QUEUE)).isEqualTo(7);
  }

  @Test
  @DisplayName("a node first heard of by a change (it joined before this view) is listed, and filled in by its announcement")
  void shouldFillInLateJoiners() {
    view.onNodeState(NodeState.queue("b", 3));
    assertThat(view.size()).isEqualTo(1);
    view.onNodeState(NodeState.announce("b", Map.of("redis", "half_open"), 4));
    assertThat(node("b").getJsonObject(NodeState.CIRCUIT_BREAKERS).getString("redis")).isEqualTo("half_open");
    assertThat(node("b").getLong(NodeState.QUEUE)).isEqualTo(4);
  }

  @Test
  @DisplayName("a node that says it is leaving, or that the cluster manager reports gone, disappears at once")
  void shouldDropDepartedNodesAtOnce() {
    view.onNodeState(NodeState.announce("a", Map.of(), 0));
    view.onNodeState(NodeState.announce("b", Map.of(), 0));
    view.onNodeState(NodeState.leaving("a"));
    view.onNodeLeft("b");
    assertThat(view.size()).isZero();
  }

  @Test
  @DisplayName("a message still in flight when a node left does not bring it back; a fresh one after the expiry does")
  void shouldIgnoreStragglersOfADepartedNode() {
    view.onNodeState(NodeState.announce("a", Map.of(), 0));
    view.onNodeLeft("a");
    view.onNodeState(NodeState.queue("a", 1));
    assertThat(view.size()).isZero();
    now.addAndGet(EXPIRY + 1);
    view.onNodeState(NodeState.announce("a", Map.of(), 0));
    assertThat(view.size()).isEqualTo(1);
  }

  @Test
  @DisplayName("a node whose messages stop is dropped once the expiry has passed since its last one")
  void shouldExpireSilentNodes() {
    view.onNodeState(NodeState.announce("a", Map.of(), 0));
    view.onNodeState(NodeState.announce("b", Map.of(), 0));
    now.addAndGet(EXPIRY / 2);
    view.onNodeState(NodeState.announce("b", Map.of(), 0));
    now.addAndGet(EXPIRY / 2 + 1);
    assertThat(view.toJson().getJsonObject("nodes").fieldNames()).containsExactly("b");
    now.addAndGet(EXPIRY);
    assertThat(view.size()).isZero();
  }

  @Test
  @DisplayName("messages without a node id or kind are ignored")
  void shouldIgnoreMalformedMessages() {
    view.onNodeState(new JsonObject().put(NodeState.KIND, NodeState.KIND_QUEUE));
    view.onNodeState(new JsonObject().put(NodeState.NODE, "a"));
    assertThat(view.size()).isZero();
  }
}
