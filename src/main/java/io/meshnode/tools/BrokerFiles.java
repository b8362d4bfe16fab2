package io.meshnode.tools;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/** The files a {@link LocalKafkaBroker} keeps in its data directory: configuration, storage marker and log. */
final class BrokerFiles {

  static final String STARTED_MARKER = "Kafka Server started";

  private static final int TAIL_LINES = 40;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dataDir;

  BrokerFiles(Path dataDir) {
    this.dataDir = dataDir;
  }

  Path serverProperties() {
    return dataDir.resolve("server.properties");
  }

  Path log4jConfig() {
    return dataDir.resolve("log4j2.properties");
  }

  Path logFile() {
    return dataDir.resolve("broker.log");
  }

  Path logDirs() {
    return dataDir.resolve("logs");
  }

  /** Whether {@code kafka-storage format} already ran on this data directory. */
  boolean isFormatted() {
    return Files.exists(logDirs().resolve("meta.properties"));
  }

  /** Writes {@code server.properties} and {@code log4j2.properties} for a KRaft combined-mode single node. */
  void writeConfig(int port, int controllerPort, boolean autoCreateTopics) {
    String listener = "PLAINTEXT://127.0.0.1:" + port;
    List<String> server = List.of(
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=" + listener + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=" + listener,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + logDirs().toAbsolutePath(),
        "num.partitions=1",
        "auto.create.topics.enable=" + autoCreateTopics,
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        // the default 128 MiB dedupe buffer does not fit a small heap: the broker dies with an OutOfMemoryError
        "log.cleaner.dedupe.buffer.size=8388608");
    List<String> log4j = List.of(
        "status = warn",
        "shutdownHook = disable",
        "appender.console.type = Console",
        "appender.console.name = STDOUT",
        "appender.console.layout.type = PatternLayout",
        "appender.console.layout.pattern = [%d] %p %m (%c)%n",
        "rootLogger.level = WARN",
        "rootLogger.appenderRef.stdout.ref = STDOUT",
        // KafkaRaftServer logs the "Kafka Server started" line that start() waits for
        "logger.raftserver.name = kafka.server.KafkaRaftServer",
        "logger.raftserver.level = INFO");
    try {
      Files.createDirectories(dataDir);
      Files.write(serverProperties(), server, StandardCharsets.UTF_8);
      Files.write(log4jConfig(), log4j, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the broker configuration into " + dataDir, e);
    }
  }

  /** Current size of the broker log, so a restart only looks at what it appended. */
  long logLength() {
    try {
      return Files.exists(logFile()) ? Files.size(logFile()) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the log written since {@code offset} says the broker started. */
  boolean startedSince(long offset) {
    if (!Files.exists(logFile())) {
      return false;
    }
    try (RandomAccessFile file = new RandomAccessFile(logFile().toFile(), "r")) {
      long length = file.length();
      if (length <= offset) {
        return false;
      }
      byte[] appended = new byte[(int) (length - offset)];
      file.seek(offset);
      file.readFully(appended);
      return new String(appended, StandardCharsets.UTF_8).contains(STARTED_MARKER);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last lines of the broker log, for failure messages. */
  String logTail() {
    try {
      if (!Files.exists(logFile())) {
        return "(no " + logFile() + ")";
      }
      List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
      List<String> tail = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
      return "last lines of " + logFile() + ":\n" + String.join("\n", tail);
    } catch (IOException e) {
      return "(cannot read " + logFile() + ": " + e.getMessage() + ")";
    }
  }

  /** A random cluster id in Kafka's format: 16 random bytes, base64url without padding (22 characters). */
  static String randomClusterId() {
    byte[] bytes = new byte[16];
    String id;
    do {
      RANDOM.nextBytes(bytes);
      id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    } while (id.startsWith("-")); // Kafka avoids these too: they read as a command-line option
    return id;
  }
}
