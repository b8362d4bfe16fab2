package io.meshnode.bench;

import io.meshnode.contract.MeshAddress;
import io.meshnode.contract.MeshField;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The soak (only with {@code --soak}; {@code bin/mesh-node bench} then runs the JVM with {@code -Xmx256m}): the
 * mesh variants of {@code redis}, {@code pg} and {@code kafka} at once, each from its own driver, for
 * {@code --soak-seconds} (600), in one-minute slices; the heap after a full GC is read at the start and after every
 * slice. RESULT: mesh_ops is the three loads' total ops/s, ratio the heap after GC at the end over the start,
 * p99_us the worst p99 of a slice.
 */
final class MemoryScenario {

  private static final long SLICE_SECONDS = 60;

  private MemoryScenario() {
  }

  static void run(BenchOptions options, String kafka, PrintStream out, BlockedThreads blocked) {
    if (!options.soak()) {
      out.println();
      out.println("== memory: skipped: pass --soak (" + options.soakSeconds() + " s with -Xmx256m)");
      return;
    }
    try (MeshNode node = MeshNode.deploy(options, kafka, Set.of(), config -> config.getJsonObject("postgres")
      .getJsonObject("statements").put(PgScenario.STATEMENT, new JsonObject().put("mode", "read")
        .put("sql", PgScenario.SQL)))) {
      EventBus bus = node.vertx().eventBus();
      Wait.on(bus.request(MeshAddress.REDIS_SET, new JsonObject().put(MeshField.KEY, RedisScenario.KEY)
        .put(MeshField.VALUE, "x".repeat(100))), "set the soak's key");
      List<Variant> loads = List.of(
        new Variant("redis", () -> bus.request(MeshAddress.REDIS_GET, new JsonObject().put(MeshField.KEY,
          RedisScenario.KEY))),
        new Variant("pg", () -> bus.request(MeshAddress.PG_QUERY, new JsonObject()
          .put(MeshField.QUERY, PgScenario.STATEMENT).put(MeshField.PARAMS, new JsonArray().add(42)))),
        new Variant("kafka", () -> bus.request(MeshAddress.KAFKA_PUBLISH, KafkaScenario.request())));
      List<ClosedLoop> drivers = loads.stream().map(v -> ClosedLoop.deploy(node.vertx())).toList();
      long blockedBefore = blocked.count();
      double startMb = heapAfterGcMb();
      out.printf(Locale.ROOT, "%n== memory: soak %d s, max heap %d MB; heap after GC at start %.1f MB%n",
        options.soakSeconds(), Runtime.getRuntime().maxMemory() >> 20, startMb);
      long remaining = options.soakSeconds();
      double ops = 0;
      long worstP99 = 0;
      int slices = 0;
      double endMb = startMb;
      while (remaining > 0) {
        long slice = Math.min(SLICE_SECONDS, remaining);
        List<Future<Sample>> passes = new ArrayList<>();
        for (int i = 0; i < loads.size(); i++) {
          passes.add(drivers.get(i).start(loads.get(i).name(), loads.get(i).op(), options.inflight(), slice * 1000,
            Long.MAX_VALUE));
        }
        StringBuilder line = new StringBuilder();
        for (Future<Sample> pass : passes) {
          Sample sample = Wait.on(pass, "run a soak slice", slice * 1000 + 60_000);
          ops += sample.opsPerSecond();
          worstP99 = Math.max(worstP99, sample.p99());
          line.append(String.format(Locale.ROOT, " %s %,.0f/s p99 %,d µs%s;", sample.variant(), sample.opsPerSecond(),
            sample.p99(), Rotation.failures(sample)));
        }
        remaining -= slice;
        slices++;
        endMb = heapAfterGcMb();
        out.printf(Locale.ROOT, "  t=%4ds%s heap after GC %.1f MB%n", options.soakSeconds() - remaining, line, endMb);
      }
      out.printf(Locale.ROOT, "heap after GC: start %.1f MB, end %.1f MB; blocked-thread warnings: %d%n", startMb,
        endMb, blocked.count() - blockedBefore);
      out.printf(Locale.ROOT, "RESULT scenario=memory mesh_ops=%.0f base_ops=0 hop_ops=0 ratio=%.3f floor_ratio=0 "
        + "p99_us=%d%n", ops / slices, endMb / startMb, worstP99);
    }
  }

  private static double heapAfterGcMb() {
    System.gc();
    Wait.pause(200);
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
  }
}
