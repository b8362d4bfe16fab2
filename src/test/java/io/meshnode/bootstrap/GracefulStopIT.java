package io.meshnode.bootstrap;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshFailure;
import io.meshnode.contract.MeshField;
import io.meshnode.contract.MeshHeader;
import io.meshnode.support.Poll;
import io.meshnode.support.Rejection;
import io.meshnode.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What SIGTERM does, in the test JVM: {@link DeploymentPlan#undeployInReverse} (the graceful shutdown's first step)
 * stops the node taking requests while a request already in flight is still served.
 */
@ExtendWith(VertxExtension.class)
class GracefulStopIT {

  private static final String SLOW_READ = "slow_read";

  private Vertx vertx;
  private TestNode node;

  @BeforeEach
  void startNode(VertxTestContext test) {
    vertx = TestNode.newVertx();
    TestNode.deploy(vertx, config -> {
      config.getJsonObject("postgres").getJsonObject("statements").put(SLOW_READ, new JsonObject()
        .put("mode", "read").put("sql", "SELECT $1::text AS tag FROM pg_sleep(2.5)"));
      config.getJsonObject("kafka").put("bootstrap_servers", TestNode.UNREACHABLE_KAFKA);
      config.getJsonObject("resilience").getJsonObject("timeouts").put("database_query", 5);
    }).onComplete(test.succeeding(deployed -> {
      node = deployed;
      test.completeNow();
    }));
  }

  @AfterEach
  void close(VertxTestContext test) {
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  private Future<Message<JsonObject>> slowRead(String tag) {
    return vertx.eventBus().request(MeshAddress.PG_QUERY,
      new JsonObject().put(MeshField.QUERY, SLOW_READ).put(MeshField.PARAMS, new JsonArray().add(tag)));
  }

  @Test
  @DisplayName("undeploying in reverse order refuses new requests first with a coded 503, serves the request in "
    + "flight, and only then stops")
  void shouldFinishInFlightRequestsAfterRefusingNewOnes(VertxTestContext test) {
    Future<JsonObject> health = node.health();
    Future<Message<JsonObject>> inFlight = health.compose(h -> slowRead("in-flight"));
    Future<Void> stopped = health.compose(h -> vertx.timer(300))
      .compose(v -> DeploymentPlan.undeployInReverse(vertx, node.deploymentIds()));
    Future<Void> refused = health.compose(h -> Poll.until(vertx, "new requests to be refused as the node stops", 5_000,
      () -> Rejection.of(vertx.eventBus().request(MeshAddress.REDIS_GET, new JsonObject().put(MeshField.KEY, "k")))
        .map(rejection -> rejection.failureType() == ReplyFailure.RECIPIENT_FAILURE
          && rejection.failureCode() == MeshFailure.UNAVAILABLE && rejection.getMessage().contains("stopping"))));
    refused.onComplete(test.succeeding(v -> test.verify(() -> {
      assertThat(inFlight.isComplete()).as("the request in flight is not answered before new ones are refused")
        .isFalse();
      assertThat(stopped.isComplete()).as("undeploy waits for the request in flight").isFalse();
    })));
    Future.all(inFlight, stopped, refused).onComplete(test.succeeding(all -> test.verify(() -> {
      Message<JsonObject> reply = inFlight.result();
      assertThat(reply.body().getJsonArray(MeshField.ROWS).getJsonObject(0).getString("tag")).isEqualTo("in-flight");
      assertThat(reply.headers().get(MeshHeader.SOURCE)).isEqualTo(MeshHeader.SOURCE_PRIMARY);
      assertThat(reply.headers().get(MeshHeader.NODE)).isEqualTo(health.result().getString("node"))
        .isEqualTo(NodeIdentity.nodeId(vertx));
      assertThat(vertx.deploymentIDs()).isEmpty();
      test.completeNow();
    })));
  }
}
