package io.meshnode.tools;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker (KRaft combined mode: broker and controller in one process), run as a
 * separate JVM on 127.0.0.1 from the jars that {@code mvn generate-resources} copies into
 * {@code target/kafka-broker}.
 *
 * <p>All methods block; this is tooling for tests and the command line, never for an event loop. The data
 * directory holds {@code server.properties}, {@code log4j2.properties}, the broker's output in {@code broker.log}
 * and its data in {@code logs/}; it survives {@link #stop()}, so a later {@link #start()} sees the same topics and
 * records. {@link #main(String[])} is the {@code start|stop|status} command line behind {@code bin/mesh-node kafka}.
 */
public final class LocalKafkaBroker {

  /** Port of the PLAINTEXT listener that clients use. */
  public static final int DEFAULT_PORT = 9092;
  /** Port of the KRaft controller listener. */
  public static final int DEFAULT_CONTROLLER_PORT = 9093;
  /** Maximum heap of the broker JVM, in {@code -Xmx} syntax. */
  public static final String DEFAULT_HEAP = "512m";
  /** How long {@link #start()} waits for the "Kafka Server started" line. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  /** How long {@link #stop()} waits after SIGTERM before it kills the broker. */
  public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
  private static final long POLL_MILLIS = 100;

  private final Path brokerJarsDir;
  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private final String heap;
  private final BrokerFiles files;
  private boolean autoCreateTopics = true;
  private Process process;

  /** A broker on the default ports and heap. */
  public LocalKafkaBroker(Path brokerJarsDir, Path dataDir) {
    this(brokerJarsDir, dataDir, DEFAULT_PORT, DEFAULT_CONTROLLER_PORT, DEFAULT_HEAP);
  }

  /**
   * @param brokerJarsDir folder with the broker's jars ({@code target/kafka-broker})
   * @param dataDir folder for configuration, log and data; created when missing
   * @param port client (PLAINTEXT) port, 1-65535
   * @param controllerPort KRaft controller port, 1-65535 and different from {@code port}
   * @param heap broker heap in {@code -Xmx} syntax, such as {@code 512m}
   */
  public LocalKafkaBroker(Path brokerJarsDir, Path dataDir, int port, int controllerPort, String heap) {
    this.brokerJarsDir = Objects.requireNonNull(brokerJarsDir, "brokerJarsDir").toAbsolutePath();
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath();
    this.port = validPort(port, "port");
    this.controllerPort = validPort(controllerPort, "controllerPort");
    if (port == controllerPort) {
      throw new IllegalArgumentException("port and controllerPort must differ, both are " + port);
    }
    if (heap == null || !heap.matches("\\d+[kKmMgG]?")) {
      throw new IllegalArgumentException("heap must look like 512m, was " + heap);
    }
    this.heap = heap;
    this.files = new BrokerFiles(this.dataDir);
  }

  /**
   * Makes the broker refuse to create topics on first use (from its next start): a record for a topic nobody
   * created then waits for its metadata, as against a cluster with {@code auto.create.topics.enable=false}.
   */
  public synchronized LocalKafkaBroker withoutTopicAutoCreation() {
    autoCreateTopics = false;
    return this;
  }

  /**
   * Writes the configuration, formats the storage on first use, launches the broker and waits until it logs
   * "Kafka Server started". Does nothing when this broker is already running.
   *
   * @throws IllegalStateException when the jars are missing, a port is taken, formatting fails, or the broker
   *     dies or does not start within {@link #START_TIMEOUT}; the message includes the tail of {@code broker.log}
   */
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    requireBrokerJars();
    requireFreePort(port, "port");
    requireFreePort(controllerPort, "controller port");
    files.writeConfig(port, controllerPort, autoCreateTopics);
    if (!files.isFormatted()) {
      formatStorage();
    }
    long offset = files.logLength();
    long startedAt = System.nanoTime();
    process = launch(List.of("-Xmx" + heap, "-Dlog4j2.configurationFile=" + files.log4jConfig(),
        "kafka.Kafka", files.serverProperties().toString()));
    awaitStarted(offset);
    LOG.info("Kafka broker started on {} in {} ms (pid {}, data {})", bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt), process.pid(), dataDir);
  }

  /** Stops the broker with SIGTERM, and kills it when it is still alive after {@link #STOP_TIMEOUT}. */
  public synchronized void stop() {
    if (!isRunning()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("Kafka broker {} ignored SIGTERM for {}, killing it", process.pid(), STOP_TIMEOUT);
        kill();
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      return;
    }
    LOG.info("Kafka broker on {} stopped", bootstrapServers());
  }

  /** Kills the broker at once (SIGKILL), as a crash would; for fault tests. */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("Kafka broker on {} killed", bootstrapServers());
  }

  /** Whether the broker process started by this object is alive. */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The {@code bootstrap.servers} value for clients: {@code 127.0.0.1:<port>}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** Pid of the current, or last, broker process; {@link IllegalStateException} before the first start. */
  public synchronized long pid() {
    if (process == null) {
      throw new IllegalStateException("Kafka broker in " + dataDir + " was never started");
    }
    return process.pid();
  }

  /** The client port. */
  public int port() {
    return port;
  }

  /** The KRaft controller port. */
  public int controllerPort() {
    return controllerPort;
  }

  /** The data directory. */
  public Path dataDir() {
    return dataDir;
  }

  /** The broker's stdout and stderr. */
  public Path logFile() {
    return files.logFile();
  }

  /**
   * Command line: {@code start|stop|status [--dir DIR] [--port N] [--controller-port N] [--broker-jars DIR]}.
   * {@code start} leaves the broker running after this JVM exits and records its pid in {@code DIR/broker.pid}.
   */
  public static void main(String[] args) {
    System.exit(new BrokerCommandLine(System.out, System.err).run(args));
  }

  private void formatStorage() {
    String clusterId = BrokerFiles.randomClusterId();
    LOG.info("Formatting Kafka storage in {} with cluster id {}", files.logDirs(), clusterId);
    Process format = launch(List.of("kafka.tools.StorageTool", "format", "-t", clusterId,
        "-c", files.serverProperties().toString()));
    try {
      if (!format.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        format.destroyForcibly();
        throw failure("Kafka storage format did not finish within " + START_TIMEOUT);
      }
    } catch (InterruptedException e) {
      format.destroyForcibly();
      Thread.currentThread().interrupt();
      throw failure("interrupted while formatting Kafka storage");
    }
    if (format.exitValue() != 0 || !files.isFormatted()) {
      throw failure("Kafka storage format failed with exit code " + format.exitValue());
    }
  }

  private Process launch(List<String> javaArgs) {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Djava.awt.headless=true",
        "-cp", brokerJarsDir + File.separator + "*"));
    command.addAll(javaArgs);
    try {
      Process started = new ProcessBuilder(command)
          .directory(dataDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(files.logFile().toFile()))
          .start();
      started.getOutputStream().close(); // the broker reads no input; nothing ties it to this JVM
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot launch " + command, e);
    }
  }

  private void awaitStarted(long logOffset) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    try {
      while (!files.startedSince(logOffset)) {
        if (process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
          throw failure("Kafka broker exited with code " + process.exitValue() + " before it started");
        }
        if (System.nanoTime() > deadline) {
          kill();
          throw failure("Kafka broker did not log \"" + BrokerFiles.STARTED_MARKER + "\" within " + START_TIMEOUT);
        }
      }
    } catch (InterruptedException e) {
      kill();
      Thread.currentThread().interrupt();
      throw failure("interrupted while waiting for the Kafka broker to start");
    }
  }

  private void requireBrokerJars() {
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(brokerJarsDir, "kafka_2.13-*.jar")) {
      if (jars.iterator().hasNext()) {
        return;
      }
    } catch (IOException e) {
      // no such folder: reported below
    }
    throw new IllegalStateException(
        "Kafka broker jars not found in " + brokerJarsDir + ": run `mvn generate-resources`");
  }

  private static void requireFreePort(int port, String name) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new IllegalStateException("Kafka " + name + " 127.0.0.1:" + port
          + " is already in use (another broker running? try `bin/mesh-node kafka stop`)", e);
    }
  }

  private IllegalStateException failure(String what) {
    return new IllegalStateException(what + " (data " + dataDir + ")\n" + files.logTail());
  }

  private static int validPort(int port, String name) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(name + " must be 1-65535, was " + port);
    }
    return port;
  }
}
