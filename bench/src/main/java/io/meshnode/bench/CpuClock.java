package io.meshnode.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far, in nanoseconds (and bytes allocated), by this JVM's Vert.x event loops (the driver, the node and the baselines'
 * clients and consumers all run there; GC, JIT, Kafka clients' own threads and the profiler do not) and by one other
 * local process (a dependency's server, such as
 * redis-server, read from {@code /proc/<pid>/stat}; 0 when there is none or it cannot be read). On a machine shared
 * with other work, CPU time per operation moves far less than throughput does, so the harness reports it beside each
 * pass: a change that makes a request cheaper shows there even when the wall-clock figures are drowned in noise.
 */
final class CpuClock {

  private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ = 100 on Linux

  private static final String EVENT_LOOP_PREFIX = "vert.x-eventloop-thread-";
  private volatile long otherPid;

  /** Also counts the CPU of process {@code pid} (e.g. the redis-server the scenario talks to). */
  void alsoCount(long pid) {
    otherPid = pid;
  }

  long jvmNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith(EVENT_LOOP_PREFIX)) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  /**
   * Bytes allocated so far on the same event loops (HotSpot's per-thread counter; 0 where the JVM has none). Unlike
   * time, allocation per operation does not move with the host: the measure of a change that makes a request cheaper
   * in garbage.
   */
  long jvmAllocatedBytes() {
    if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
      || !threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
      return 0;
    }
    long total = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith(EVENT_LOOP_PREFIX)) {
        total += Math.max(0, threads.getThreadAllocatedBytes(info.getThreadId()));
      }
    }
    return total;
  }

  /**
   * CPU time the hypervisor gave to other guests while this machine's CPUs wanted to run ({@code steal} of the
   * {@code cpu} line of {@code /proc/stat}, all CPUs together); 0 when it cannot be read. A pass during which much
   * was stolen measured the neighbours as much as the node.
   */
  long stealNanos() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
        if (line.startsWith("cpu ")) {
          String[] fields = line.trim().split("\\s+");
          return fields.length > 8 ? Long.parseLong(fields[8]) * NANOS_PER_TICK : 0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }

  long otherNanos() {
    long pid = otherPid;
    if (pid <= 0) {
      return 0;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK; // utime, stime
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
