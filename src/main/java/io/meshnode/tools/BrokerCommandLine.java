package io.meshnode.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code LocalKafkaBroker start|stop|status}: a broker that outlives the command, tracked by a pid file. */
final class BrokerCommandLine {

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  /** LSB status code for "not running". */
  static final int NOT_RUNNING = 3;

  private static final String USAGE_TEXT = "usage: LocalKafkaBroker start|stop|status [--dir DIR] [--port N]"
      + " [--controller-port N] [--broker-jars DIR] [--heap SIZE]";

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> options = new HashMap<>(Map.of(
      "--dir", "data/kafka",
      "--port", String.valueOf(LocalKafkaBroker.DEFAULT_PORT),
      "--controller-port", String.valueOf(LocalKafkaBroker.DEFAULT_CONTROLLER_PORT),
      "--broker-jars", "target/kafka-broker",
      "--heap", LocalKafkaBroker.DEFAULT_HEAP));

  BrokerCommandLine(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  int run(String[] args) {
    if (args.length == 0 || args.length % 2 == 0) {
      return usage("expected a command followed by --option value pairs");
    }
    for (int i = 1; i < args.length; i += 2) {
      if (!options.containsKey(args[i])) {
        return usage("unknown option " + args[i]);
      }
      options.put(args[i], args[i + 1]);
    }
    try {
      switch (args[0]) {
        case "start": return start();
        case "stop": return stop();
        case "status": return status();
        default: return usage("unknown command " + args[0]);
      }
    } catch (RuntimeException e) {
      err.println("kafka " + args[0] + " failed: " + e.getMessage());
      return FAILED;
    }
  }

  private int start() {
    Optional<ProcessHandle> running = runningBroker();
    if (running.isPresent()) {
      out.println("Kafka broker already running, pid " + running.get().pid() + ": " + bootstrapServers());
      return OK;
    }
    LocalKafkaBroker broker = new LocalKafkaBroker(Paths.get(options.get("--broker-jars")), dataDir(),
        intOption("--port"), intOption("--controller-port"),
        options.get("--heap"));
    broker.start();
    try {
      Files.writeString(pidFile(), broker.pid() + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      broker.stop();
      throw new IllegalStateException("cannot write " + pidFile() + ": " + e.getMessage(), e);
    }
    out.println(broker.bootstrapServers());
    return OK;
  }

  private int stop() {
    Optional<ProcessHandle> running = runningBroker();
    if (running.isEmpty()) {
      out.println("Kafka broker not running");
      return OK;
    }
    ProcessHandle broker = running.get();
    broker.destroy();
    try {
      broker.onExit().get(LocalKafkaBroker.STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      err.println("Kafka broker pid " + broker.pid() + " ignored SIGTERM for "
          + LocalKafkaBroker.STOP_TIMEOUT + ", killing it");
      broker.destroyForcibly();
      awaitKilled(broker);
    } catch (InterruptedException | ExecutionException e) {
      broker.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    deletePidFile();
    out.println("Kafka broker pid " + broker.pid() + " stopped");
    return OK;
  }

  private int status() {
    Optional<ProcessHandle> running = runningBroker();
    if (running.isEmpty()) {
      out.println("Kafka broker not running (" + dataDir() + ")");
      return NOT_RUNNING;
    }
    out.println("Kafka broker running, pid " + running.get().pid() + ": " + bootstrapServers());
    return OK;
  }

  /** The live broker named by the pid file; a stale pid file (dead or recycled pid) is removed. */
  private Optional<ProcessHandle> runningBroker() {
    if (!Files.exists(pidFile())) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile(), StandardCharsets.UTF_8).trim());
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("cannot read a pid from " + pidFile() + ": " + e.getMessage(), e);
    }
    Optional<ProcessHandle> broker = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .filter(handle -> handle.info().commandLine().map(line -> line.contains("kafka.Kafka")).orElse(true));
    if (broker.isEmpty()) {
      deletePidFile();
    }
    return broker;
  }

  private void deletePidFile() {
    try {
      Files.deleteIfExists(pidFile());
    } catch (IOException e) {
      err.println("cannot delete " + pidFile() + ": " + e.getMessage());
    }
  }

  private int intOption(String name) {
    try {
      return Integer.parseInt(options.get(name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, was " + options.get(name), e);
    }
  }

  private Path dataDir() {
    return Paths.get(options.get("--dir")).toAbsolutePath();
  }

  private Path pidFile() {
    return dataDir().resolve("broker.pid");
  }

  private String bootstrapServers() {
    return "127.0.0.1:" + options.get("--port");
  }

  private int usage(String problem) {
    err.println(problem);
    err.println(USAGE_TEXT);
    return USAGE;
  }

  /** Waits briefly for a SIGKILLed process to be gone; the kernel reaps it at once. */
  private static void awaitKilled(ProcessHandle process) {
    try {
      process.onExit().get(LocalKafkaBroker.STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // nothing more to do than report it below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
