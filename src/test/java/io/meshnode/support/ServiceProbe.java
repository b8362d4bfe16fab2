package io.meshnode.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.locks.LockSupport;

/** Waits for a process the test started to accept connections, with a deadline and a clear failure. */
public final class ServiceProbe {

  private static final long DEADLINE_NANOS = 20_000_000_000L;

  private ServiceProbe() {
  }

  public static void awaitListening(String what, int port, Process process) {
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    while (System.nanoTime() < deadline) {
      if (process != null && !process.isAlive()) {
        throw new IllegalStateException(what + " exited with code " + process.exitValue() + " before listening");
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        LockSupport.parkNanos(20_000_000);
      }
    }
    throw new IllegalStateException(what + " did not listen within 20 s");
  }
}
