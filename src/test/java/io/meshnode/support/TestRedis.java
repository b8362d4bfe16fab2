package io.meshnode.support;

import io.vertx.core.json.JsonObject;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} the test owns, on its own port, so that stopping it does not disturb the machine's
 * Redis. Fails with a message naming what is missing when {@code redis-server} is not installed.
 */
public final class TestRedis implements AutoCloseable {

  private final int port = FreePort.find();
  private final String password;
  private Process process;

  /** A Redis without authentication. */
  public TestRedis() {
    this(null);
  }

  /** A Redis that requires {@code password} ({@code requirepass}). */
  public TestRedis(String password) {
    this.password = password;
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Points the {@code redis} section of a node's config at this server; returns that section. */
  public JsonObject configure(JsonObject nodeConfig) {
    return nodeConfig.getJsonObject("redis").put("url", url());
  }

  /** Starts it (again) on the same port and waits until it accepts connections. */
  public TestRedis start() {
    try {
      List<String> command = new java.util.ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
      if (password != null) {
        command.addAll(List.of("--requirepass", password));
      }
      process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(new File(System.getProperty("java.io.tmpdir"), "mesh-test-redis-" + port + ".log"))
        .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start redis-server (is the redis-server package installed?): " + e, e);
    }
    ServiceProbe.awaitListening("redis-server on port " + port, port, process);
    return this;
  }

  /** Freezes it (SIGSTOP): connections stay open and requests hang, as with a stalled server. */
  public void freeze() {
    signal("-STOP");
  }

  /** Resumes a frozen server (SIGCONT). */
  public void thaw() {
    signal("-CONT");
  }

  private void signal(String signal) {
    Signals.send(process.pid(), signal, "redis-server on port " + port);
  }

  /**
   * Slows it past any short operation timeout: {@code CLIENT PAUSE millis ALL} makes the server hold every client's
   * commands (PING included) for {@code millis}, then serve them; the server itself keeps running.
   */
  public void pauseClients(long millis) {
    List<String> command = new java.util.ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
    if (password != null) {
      command.addAll(List.of("--no-auth-warning", "-a", password));
    }
    command.addAll(List.of("CLIENT", "PAUSE", Long.toString(millis), "ALL"));
    try {
      Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(cli.getInputStream().readAllBytes()).trim();
      if (!cli.waitFor(10, TimeUnit.SECONDS) || !"OK".equals(output)) {
        throw new IllegalStateException("redis-cli CLIENT PAUSE on port " + port + " answered: " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run redis-cli (is the redis-tools package installed?): " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Kills it (SIGKILL): connections drop as when the server crashes. */
  public void stop() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** True when something accepts connections on the port. */
  public boolean isListening() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
