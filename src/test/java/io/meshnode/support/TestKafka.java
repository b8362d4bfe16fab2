package io.meshnode.support;

import io.meshnode.tools.LocalKafkaBroker;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Real Kafka brokers for tests, each a separate JVM started from {@code target/kafka-broker}.
 *
 * <p>{@link #bootstrapServers()} starts one broker shared by the whole test JVM on first use;
 * {@link #ownBroker()} hands a test a broker of its own to stop, kill and restart. Every broker made here is
 * stopped when the test session closes ({@link KafkaBrokersSessionListener}) or, failing that, when the JVM exits.
 */
public final class TestKafka {

  /** System property naming the folder with the broker's jars; surefire sets it from the pom. */
  public static final String BROKER_DIR_PROPERTY = "mesh.kafka.broker.dir";
  /** System property naming the project folder; surefire sets it from the pom. */
  public static final String PROJECT_DIR_PROPERTY = "mesh.project.dir";

  private static final List<LocalKafkaBroker> BROKERS = new ArrayList<>();
  private static LocalKafkaBroker shared;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(TestKafka::stopAll, "test-kafka-shutdown"));
  }

  private TestKafka() {
  }

  /** Bootstrap servers of the shared broker, started on first call (a few seconds) and kept for the session. */
  public static synchronized String bootstrapServers() {
    if (shared == null || !shared.isRunning()) {
      shared = ownBroker("shared-");
      shared.start();
    }
    return shared.bootstrapServers();
  }

  /** A new broker, not started yet, on free ports with its own data directory; stopped with the session. */
  public static LocalKafkaBroker ownBroker() {
    return ownBroker("own-");
  }

  /** Stops every broker made here; the shared one starts afresh on the next {@link #bootstrapServers()}. */
  public static synchronized void stopAll() {
    for (LocalKafkaBroker broker : BROKERS) {
      try {
        broker.stop();
      } catch (RuntimeException e) {
        broker.kill();
      }
    }
    BROKERS.clear();
    shared = null;
  }

  private static synchronized LocalKafkaBroker ownBroker(String prefix) {
    int[] ports = FreePort.distinct(2);
    Path dataDir = projectDir().resolve("target/test-kafka").resolve(prefix + UUID.randomUUID());
    LocalKafkaBroker broker = new LocalKafkaBroker(brokerJarsDir(), dataDir, ports[0], ports[1],
        LocalKafkaBroker.DEFAULT_HEAP);
    BROKERS.add(broker);
    return broker;
  }

  /** The project folder ({@value #PROJECT_DIR_PROPERTY}), where {@code target/} and {@code conf/} are. */
  public static Path projectDir() {
    return Paths.get(System.getProperty(PROJECT_DIR_PROPERTY, ".")).toAbsolutePath();
  }

  private static Path brokerJarsDir() {
    String configured = System.getProperty(BROKER_DIR_PROPERTY);
    return configured != null ? Paths.get(configured) : projectDir().resolve("target/kafka-broker");
  }
}
