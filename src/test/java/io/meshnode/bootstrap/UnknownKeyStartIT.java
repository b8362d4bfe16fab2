package io.meshnode.bootstrap;

import io.meshnode.support.FreePort;
import io.meshnode.support.NodeConf;
import io.meshnode.support.NodeProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The real node process, given a conf directory with a misspelt key, refuses to start and says which key. */
class UnknownKeyStartIT {

  /** Long enough for a JVM to start and stop on the loaded 2-core machine. */
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private NodeProcess node;

  @AfterEach
  void stopNode() {
    if (node != null) {
      node.kill();
    }
  }

  @Test
  @DisplayName("a misspelt key in resilience.yaml makes the node exit 1 naming the key's full path and the nearest key")
  void shouldExitNamingTheMisspeltKey() {
    Path conf = NodeConf.write(dir.resolve("conf"), config -> config.getJsonObject("resilience")
      .getJsonObject("circuit_breakers").getJsonObject("redis").put("failure_treshold", 3));
    node = new NodeProcess("misspelt", UnknownKeyStartIT.class.getSimpleName(), List.of("--conf", conf.toString()),
      Map.of("MESH_HTTP_PORT", Integer.toString(FreePort.find()),
        "MESH_KAFKA_QUEUE_PATH", dir.resolve("queue.db").toString()));

    int exitCode = node.start().awaitExit(EXIT_TIMEOUT);

    assertThat(exitCode).isEqualTo(1);
    assertThat(node.logTail()).contains("mesh node failed to start: invalid config "
      + "resilience.circuit_breakers.redis.failure_treshold: unknown key; did you mean failure_threshold?");
  }
}
