package io.meshnode.support;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Sends a POSIX signal ({@code kill -STOP}, {@code -CONT}) to a process the test started; fails loudly otherwise. */
public final class Signals {

  private Signals() {
  }

  /** Sends {@code signal} (such as {@code -STOP}) to {@code pid}; {@code what} names the process in failures. */
  public static void send(long pid, String signal, String what) {
    try {
      Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill " + signal + " " + pid + " (" + what + ") failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot signal " + what + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
