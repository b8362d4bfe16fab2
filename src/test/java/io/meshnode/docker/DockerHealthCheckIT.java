package io.meshnode.docker;

import io.meshnode.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.meshnode.docker.DockerFiles.list;
import static io.meshnode.docker.DockerFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health check compose runs in each node's container, run here by bash against a real node (the shipped conf,
 * PostgreSQL and Redis of the machine): it succeeds on a ready node and fails when the path does not answer 200.
 * And the path Prometheus scrapes answers with the node's metrics.
 */
@ExtendWith(VertxExtension.class)
class DockerHealthCheckIT {

  private Vertx vertx;
  private TestNode node;
  private String command;

  @BeforeEach
  void startNode(VertxTestContext test) {
    Map<String, Object> meshOne = map(map(DockerFiles.yaml(DockerFiles.COMPOSE), "services"), "mesh-1");
    List<Object> healthcheck = list(map(meshOne, "healthcheck"), "test");
    int containerPort = DockerComposeTest.containerHttpPort(map(meshOne, "environment"));
    vertx = TestNode.newVertx();
    TestNode.deploy(vertx, config -> config.getJsonObject("kafka").put("bootstrap_servers", TestNode.UNREACHABLE_KAFKA))
      .onComplete(test.succeeding(deployed -> {
        node = deployed;
        command = String.valueOf(healthcheck.get(3))
          .replace("/127.0.0.1/" + containerPort + " ", "/127.0.0.1/" + node.httpPort() + " ");
        test.completeNow();
      }));
  }

  @AfterEach
  void stopNode(VertxTestContext test) {
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  @Test
  @DisplayName("compose's health check passes on a ready node and fails on a path that does not answer 200")
  void shouldPassOnlyOnAReadyAnswer(VertxTestContext test) {
    bash(command)
      .compose(ready -> bash(command.replace("/health/ready", "/health/nowhere")).map(missing -> List.of(ready, missing)))
      .onComplete(test.succeeding(exits -> test.verify(() -> {
        assertThat(exits.get(0)).as("exit status of: " + command).isZero();
        assertThat(exits.get(1)).as("exit status on a 404").isNotZero();
        test.completeNow();
      })));
  }

  @Test
  @DisplayName("the metrics path of docker/prometheus.yml serves the node's Prometheus text")
  void shouldServeWhatPrometheusScrapes(VertxTestContext test) {
    @SuppressWarnings("unchecked") Map<String, Object> scrape = (Map<String, Object>)
      list(DockerFiles.yaml(DockerFiles.PROMETHEUS), "scrape_configs").get(0);
    WebClient.create(vertx).get(node.httpPort(), "127.0.0.1", String.valueOf(scrape.get("metrics_path"))).send()
      .onComplete(test.succeeding(response -> test.verify(() -> {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsString()).contains("circuit_breaker_state{");
        test.completeNow();
      })));
  }

  /** Runs {@code bash -c script} on a worker; its exit status, or a failure when it takes over 10 s. */
  private Future<Integer> bash(String script) {
    return vertx.executeBlocking(() -> {
      Process process = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("bash did not finish within 10 s: " + script);
      }
      return process.exitValue();
    });
  }
}
