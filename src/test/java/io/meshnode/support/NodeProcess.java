package io.meshnode.support;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * One mesh node as a separate JVM: the real fat jar ({@code target/mesh-node.jar}, built by {@code package} before
 * failsafe runs) started with {@code java -Xmx256m -jar}, its own environment, and its output appended to
 * {@code target/node-logs/<test>-<node>.log} across restarts.
 *
 * <p>All methods block: call them from the test thread or a worker, never from an event loop. Every process started
 * here is killed when the test session closes ({@link NodeProcessesSessionListener}) or, failing that, when the test
 * JVM exits.
 */
public final class NodeProcess {

  /** How long {@link #stop()} waits for the node to exit after SIGTERM before it kills it. */
  public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  /** Lines of the node's log quoted in a failure message. */
  private static final int TAIL_LINES = 40;
  private static final Set<NodeProcess> LIVE = ConcurrentHashMap.newKeySet();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(NodeProcess::killAll, "node-processes-shutdown"));
  }

  private final String name;
  private final List<String> arguments;
  private final Map<String, String> environment;
  private final int httpPort;
  private final Path log;
  private Process process;
  private String nodeId;

  /**
   * A node process, not started yet.
   *
   * @param name        label of the node in messages, and the log file's suffix
   * @param testName    the log file's prefix
   * @param arguments   arguments after {@code -jar mesh-node.jar}, such as {@code --cluster --conf DIR}
   * @param environment the node's {@code MESH_*} variables; it must name {@code MESH_HTTP_PORT}. Inherited
   *                    {@code MESH_*} variables of the test JVM are removed.
   */
  public NodeProcess(String name, String testName, List<String> arguments, Map<String, String> environment) {
    this.name = name;
    this.arguments = List.copyOf(arguments);
    this.environment = Map.copyOf(environment);
    this.httpPort = Integer.parseInt(environment.get("MESH_HTTP_PORT"));
    this.log = TestKafka.projectDir().resolve("target/node-logs").resolve(testName + "-" + name + ".log");
  }

  /** Launches the JVM and returns at once; {@link #awaitReady} waits for it. Fails when this node still runs. */
  public synchronized NodeProcess start() {
    if (isAlive()) {
      throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
    }
    Path jar = TestKafka.projectDir().resolve("target/mesh-node.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: node processes run the fat jar that `mvn package` builds");
    }
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx256m", "-jar", jar.toString()));
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).directory(TestKafka.projectDir().toFile())
      .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().keySet().removeIf(variable -> variable.startsWith("MESH_"));
    builder.environment().putAll(environment);
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(log, "=== " + Instant.now() + " test harness starts " + name + ": " + command + " "
        + environment + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node " + name + ": " + command, e);
    }
    nodeId = null;
    LIVE.add(this);
    return this;
  }

  /** Waits until {@code /health/ready} answers 200, then learns the node id from {@code /health}. */
  public NodeProcess awaitReady(Duration timeout) {
    awaitHealth("ready", timeout, () -> status("/health/ready") == 200);
    nodeId = health().getString("node");
    return this;
  }

  /** Waits until this node's {@code /health} satisfies {@code condition}; {@code what} names it in the failure. */
  public JsonObject awaitHealth(String what, Duration timeout, Predicate<JsonObject> condition) {
    JsonObject[] last = new JsonObject[1];
    awaitHealth(what, timeout, () -> {
      last[0] = health();
      return condition.test(last[0]);
    });
    return last[0];
  }

  private void awaitHealth(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastError = "no answer yet";
    while (true) {
      if (!isAlive()) {
        throw failure("exited with code " + process.exitValue() + " while waiting for " + what);
      }
      try {
        if (condition.getAsBoolean()) {
          return;
        }
        lastError = "condition not met";
      } catch (UncheckedIOException | IllegalStateException e) {
        lastError = e.getMessage();
      }
      if (System.nanoTime() > deadline) {
        throw failure("was not " + what + " within " + timeout.toMillis() + " ms (last: " + lastError + ")");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  /** {@code GET /health} as JSON, whatever its status code. */
  public JsonObject health() {
    return new JsonObject(get("/health").body());
  }

  /** Ids of the full nodes this node's {@code /health} lists under {@code cluster.nodes}; empty when none. */
  public Set<String> clusterView() {
    JsonObject cluster = health().getJsonObject("cluster");
    JsonObject nodes = cluster == null ? null : cluster.getJsonObject("nodes");
    return nodes == null ? Set.of() : Set.copyOf(nodes.fieldNames());
  }

  private int status(String path) {
    return get(path).statusCode();
  }

  private HttpResponse<String> get(String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
      .timeout(Duration.ofSeconds(2)).GET().build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(name + " GET " + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + " GET " + path + " interrupted", e);
    }
  }

  /**
   * Waits up to {@code timeout} for the node to exit by itself, as one that refuses to start does.
   *
   * @return the exit code
   */
  public int awaitExit(Duration timeout) {
    Process running = process;
    try {
      if (!running.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw failure("did not exit within " + timeout.toMillis() + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + " interrupted while waiting for it to exit", e);
    }
    LIVE.remove(this);
    return running.exitValue();
  }

  /**
   * Stops the node with SIGTERM and waits up to {@link #STOP_TIMEOUT} for it to exit; kills it after that.
   *
   * @return the exit code (a node that had to be killed: 137)
   */
  public int stop() {
    Process running = process;
    if (running == null || !running.isAlive()) {
      return running == null ? -1 : running.exitValue();
    }
    running.destroy();
    try {
      if (!running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
    LIVE.remove(this);
    return running.exitValue();
  }

  /** Kills the node at once (SIGKILL), as a crash would, and waits for the process to be gone. */
  public void kill() {
    Process running = process;
    if (running == null) {
      return;
    }
    running.destroyForcibly();
    try {
      running.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LIVE.remove(this);
  }

  /** Starts the node again with the same arguments and environment (same ports, same durable queue). */
  public NodeProcess restart() {
    return start();
  }

  /** Kills every node process still running; for the end of the session. */
  public static void killAll() {
    List.copyOf(LIVE).forEach(NodeProcess::kill);
  }

  private AssertionError failure(String what) {
    return new AssertionError("node " + name + " (pid " + process.pid() + ", http " + httpPort + ") " + what
      + "\n--- last lines of " + log + " ---\n" + logTail());
  }

  /** The last lines of the node's log. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(cannot read the log: " + e + ")";
    }
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public String name() {
    return name;
  }

  /** The node id that {@code /health} reported once ready; null before {@link #awaitReady}. */
  public String nodeId() {
    return nodeId;
  }

  public int httpPort() {
    return httpPort;
  }

  public Map<String, String> environment() {
    return environment;
  }

  @Override
  public String toString() {
    return name + (nodeId == null ? "" : " (" + nodeId + ")");
  }
}
